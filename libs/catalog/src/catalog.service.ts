import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { InstanceRecord } from '@krypton/dicom-codec';
import { patientSqlCondition, PatientRecord, PatientSelector } from '@krypton/patient-match';
import { buildCatalogQuery, CatalogQuery, CatalogRow, normaliseRow, numberConditions } from './query/catalog-query';
import type { SqlCondition } from './query/dicom-match';
import { StudyReadListener } from './study-read-listener';
import { fewPatients, StudyOrder, studyOrderProbe } from './query/study-order';

/** What the indexer stores besides the DICOM attributes. */
export interface StoredInstance extends InstanceRecord {
  readonly transferSyntaxUid: string;
  readonly storageKey: string;
  readonly fileSize: number;
  readonly sourceAe: string | null;
}

export type IndexOutcome = 'inserted' | 'replaced' | 'unchanged';

export interface IndexBatchItem {
  readonly rec: StoredInstance;
  /** The stored object replaced an earlier copy (duplicate policy "replace"). */
  readonly replace: boolean;
  /** Marks the instance `dose_pending` until its dose is filed. */
  readonly doseBearing?: boolean;
}

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
  /**
   * Catalogue patient rows (`patient.id`) as matchPatients returned them: a retrieve decides on
   * the patient first and then locates that patient's instances only, never a Patient ID again
   * (a record of another issuer filed in between would slip in).
   */
  readonly patientRowIds?: readonly string[];
}

/** A catalogue patient record with its row id. */
export interface CatalogPatient extends PatientRecord {
  readonly id: string;
}

/** The UID conditions of an instance filter (aliases st, se, i), without the patient. */
function uidConditions(f: InstanceFilter): SqlCondition[] {
  const out: SqlCondition[] = [];
  const add = (sql: string, v: readonly string[] | undefined) => {
    if (v && v.length) out.push({ sql: `${sql} = ANY($)`, params: [v] });
  };
  add('st.study_uid', f.studyUids);
  add('se.series_uid', f.seriesUids);
  add('i.sop_instance_uid', f.sopInstanceUids);
  return out;
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
  private readonly readListeners: StudyReadListener[] = [];

  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Adds a listener told of the studies each `locate` reads (see StudyReadListener). */
  onStudiesRead(listener: StudyReadListener): void {
    this.readListeners.push(listener);
  }

  /**
   * Files several instances in one statement, hence one transaction and one WAL flush: under a
   * burst, a commit per instance would compete for the disk with the gateway's own fsyncs.
   * In the same transaction, the studies that gained or changed an instance are stamped
   * (`last_indexed_at`), which is what makes them due for the study-stable stage (see
   * IngestBacklogStore). Outcomes come back in input order.
   */
  async indexBatch(items: readonly IndexBatchItem[]): Promise<IndexOutcome[]> {
    return this.ds.transaction(async (m) => {
      const rows: { outcome: IndexOutcome }[] = await m.query(
        `SELECT catalog_index_instance(x.item->'rec', (x.item->>'replace')::boolean) AS outcome
           FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(item, ord) ORDER BY x.ord`,
        [JSON.stringify(items.map((i) => ({ rec: { ...i.rec, doseBearing: i.doseBearing ?? false }, replace: i.replace })))],
      );
      const outcomes = rows.map((r) => r.outcome);
      const touched = [...new Set(items.filter((_, k) => outcomes[k] !== 'unchanged').map((i) => i.rec.studyUid))].sort();
      // Sorted, so that two batches of the same studies lock their rows in the same order.
      if (touched.length) await m.query('UPDATE study SET last_indexed_at = clock_timestamp() WHERE study_uid = ANY($1)', [touched]);
      return outcomes;
    });
  }

  async query(q: CatalogQuery): Promise<CatalogRow[]> {
    const built = buildCatalogQuery(q, await this.studyOrder(q));
    const rows: Record<string, unknown>[] = await this.ds.query(built.text, built.values);
    return rows.map(normaliseRow);
  }

  /** Sorting the matches or walking the date index: see studyOrderProbe. */
  async studyOrder(q: CatalogQuery): Promise<StudyOrder> {
    const cap = await this.patientCutoff();
    const probe = studyOrderProbe(q, cap);
    if (typeof probe === 'string') return probe;
    const [{ n }] = await this.ds.query(probe.text, probe.values);
    return n < cap ? 'sort' : 'index';
  }

  private cutoff?: { value: number; at: number };

  /** fewPatients() of the planner's row estimate for `patient`, read at most every ten minutes. */
  private async patientCutoff(): Promise<number> {
    if (this.cutoff && Date.now() - this.cutoff.at < 600_000) return this.cutoff.value;
    const [r] = await this.ds.query(`SELECT reltuples::bigint AS n FROM pg_class WHERE oid = 'patient'::regclass`);
    this.cutoff = { value: fewPatients(Number(r?.n ?? 0)), at: Date.now() };
    return this.cutoff.value;
  }

  /**
   * Instances to retrieve (C-MOVE, C-GET, WADO-RS, forwarding), in a stable order. Every caller is
   * a read of the studies found, told to the read listeners (the archive's last-access stamps) unless
   * `recordAccess` is false (the archive's own moves are not reads).
   */
  async locate(f: InstanceFilter, opts: { readonly recordAccess?: boolean } = {}): Promise<InstanceLocation[]> {
    const conditions = uidConditions(f);
    if (f.patientRowIds) conditions.push({ sql: 'st.patient_fk = ANY($::bigint[])', params: [f.patientRowIds] });
    if (!conditions.length) return [];
    const values: unknown[] = [];
    const where = numberConditions(conditions, values);
    const rows = await this.ds.query(
      `SELECT st.study_uid AS "studyUid", se.series_uid AS "seriesUid", i.sop_instance_uid AS "sopInstanceUid",
              i.sop_class_uid AS "sopClassUid", i.transfer_syntax_uid AS "transferSyntaxUid",
              i.storage_key AS "storageKey", i.file_size AS "fileSize"
         FROM instance i JOIN series se ON se.id = i.series_fk JOIN study st ON st.id = se.study_fk
        WHERE ${where.join(' AND ')}
        ORDER BY se.series_number NULLS LAST, se.id, i.instance_number NULLS LAST, i.id`,
      values,
    );
    const found: InstanceLocation[] = rows.map((r: InstanceLocation) => ({ ...r, fileSize: Number(r.fileSize) }));
    if (opts.recordAccess !== false && this.readListeners.length) {
      const studies = new Set(found.map((l) => l.studyUid));
      for (const listener of this.readListeners) listener.note(studies);
    }
    return found;
  }

  /**
   * The patient records a selector reaches (the hub's patient-matching rule), restricted to those
   * holding an instance of the filter's UIDs when it names any: what a retrieve's keys designate,
   * for decidePatient to judge before anything is sent.
   */
  async matchPatients(sel: PatientSelector, within: InstanceFilter = {}): Promise<CatalogPatient[]> {
    const uids = uidConditions(within);
    const conditions = [patientSqlCondition(sel)];
    if (uids.length) {
      conditions.push({
        sql: `EXISTS (SELECT 1 FROM study st JOIN series se ON se.study_fk = st.id JOIN instance i ON i.series_fk = se.id
                       WHERE st.patient_fk = p.id AND ${uids.map((c) => c.sql).join(' AND ')})`,
        params: uids.flatMap((c) => c.params),
      });
    }
    const values: unknown[] = [];
    const where = numberConditions(conditions, values);
    const rows: { id: string; patientId: string; issuer: string; ins: string | null }[] = await this.ds.query(
      `SELECT p.id, p.patient_id AS "patientId", p.issuer, p.ins FROM patient p WHERE ${where.join(' AND ')} ORDER BY p.issuer, p.patient_id, p.id`,
      values,
    );
    return rows.map((r) => ({ ...r, id: String(r.id) }));
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
