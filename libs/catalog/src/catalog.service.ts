import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { InstanceRecord } from '@krypton/dicom-codec';
import { buildCatalogQuery, CatalogQuery, CatalogRow, normaliseRow } from './query/catalog-query';

/** What the indexer stores besides the DICOM attributes. */
export interface StoredInstance extends InstanceRecord {
  readonly transferSyntaxUid: string;
  readonly storageKey: string;
  readonly fileSize: number;
  readonly sourceAe: string | null;
}

export type IndexOutcome = 'inserted' | 'replaced' | 'unchanged';

export interface InstanceLocation {
  readonly studyUid: string;
  readonly seriesUid: string;
  readonly sopInstanceUid: string;
  readonly sopClassUid: string;
  readonly transferSyntaxUid: string;
  readonly storageKey: string;
  readonly fileSize: number;
}

export interface InstanceFilter {
  readonly studyUids?: readonly string[];
  readonly seriesUids?: readonly string[];
  readonly sopInstanceUids?: readonly string[];
  readonly patientIds?: readonly string[];
}

/** A study's own attributes and its patient's, as the catalogue files them. */
export interface CatalogStudy {
  readonly studyUid: string;
  readonly accessionNumber: string | null;
  readonly studyDate: string | null;
  readonly studyTime: string | null;
  readonly studyId: string | null;
  readonly referringPhysician: string | null;
  /** The calling AE the study's first instances came from (null for DICOMweb). */
  readonly sourceAe: string | null;
  readonly patient: {
    readonly patientId: string;
    readonly issuer: string;
    /** DICOM PN */
    readonly name: string | null;
    readonly birthDate: string | null;
    readonly sex: string | null;
    readonly ins: string | null;
  };
}

/** Reads and writes the catalogue (patient / study / series / instance). */
@Injectable()
export class CatalogService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Files several instances in one statement, hence one transaction and one WAL flush: under a
   * burst, a commit per instance would compete for the disk with the gateway's own fsyncs.
   * Outcomes come back in input order.
   */
  async indexBatch(items: readonly { readonly rec: StoredInstance; readonly replace: boolean }[]): Promise<IndexOutcome[]> {
    const rows: { outcome: IndexOutcome }[] = await this.ds.query(
      `SELECT catalog_index_instance(x.item->'rec', (x.item->>'replace')::boolean) AS outcome
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(item, ord) ORDER BY x.ord`,
      [JSON.stringify(items)],
    );
    return rows.map((r) => r.outcome);
  }

  async query(q: CatalogQuery): Promise<CatalogRow[]> {
    const built = buildCatalogQuery(q);
    const rows: Record<string, unknown>[] = await this.ds.query(built.text, built.values);
    return rows.map(normaliseRow);
  }

  /** Instances to retrieve (C-MOVE, C-GET, WADO-RS, forwarding), in a stable order. */
  async locate(f: InstanceFilter): Promise<InstanceLocation[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, v: readonly string[] | undefined) => {
      if (v && v.length) {
        values.push(v);
        where.push(`${sql} = ANY($${values.length})`);
      }
    };
    add('st.study_uid', f.studyUids);
    add('se.series_uid', f.seriesUids);
    add('i.sop_instance_uid', f.sopInstanceUids);
    add('p.patient_id', f.patientIds);
    if (!where.length) return [];
    const rows = await this.ds.query(
      `SELECT st.study_uid AS "studyUid", se.series_uid AS "seriesUid", i.sop_instance_uid AS "sopInstanceUid",
              i.sop_class_uid AS "sopClassUid", i.transfer_syntax_uid AS "transferSyntaxUid",
              i.storage_key AS "storageKey", i.file_size AS "fileSize"
         FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk
         JOIN patient p ON p.id = st.patient_fk
        WHERE ${where.join(' AND ')}
        ORDER BY se.series_number NULLS LAST, se.id, i.instance_number NULLS LAST, i.id`,
      values,
    );
    return rows.map((r: InstanceLocation) => ({ ...r, fileSize: Number(r.fileSize) }));
  }

  async study(studyUid: string): Promise<CatalogStudy | null> {
    const [r] = await this.ds.query(
      `SELECT s.study_uid, s.accession_number, s.study_date, s.study_time, s.study_id, s.referring_physician, s.source_ae,
              p.patient_id, p.issuer, p.name, p.birth_date, p.sex, p.ins
         FROM study s JOIN patient p ON p.id = s.patient_fk WHERE s.study_uid = $1`,
      [studyUid],
    );
    if (!r) return null;
    return {
      studyUid: r.study_uid,
      accessionNumber: r.accession_number,
      studyDate: r.study_date,
      studyTime: r.study_time,
      studyId: r.study_id,
      referringPhysician: r.referring_physician,
      sourceAe: r.source_ae,
      patient: { patientId: r.patient_id, issuer: r.issuer, name: r.name, birthDate: r.birth_date, sex: r.sex, ins: r.ins },
    };
  }

  async markStable(studyUid: string): Promise<boolean> {
    const res = await this.ds.query('UPDATE study SET stable_at = now(), updated_at = now() WHERE study_uid = $1 RETURNING id', [studyUid]);
    return (res[0]?.length ?? res.length) > 0;
  }

  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }
}
