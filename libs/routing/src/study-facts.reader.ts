import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import type { Priority, StudyFacts } from '@krypton/protocol';
import { siteOfAe } from './protocol-references';

// Modalities and body parts come from the series; procedure and priority from the request the
// study was acquired for (by attached study, else by pre-assigned Study Instance UID).
const FACTS_SQL = `
  SELECT s.study_uid, s.source_ae, s.study_description, coalesce(s.stable_at, s.received_at) AS at,
         coalesce(array_agg(DISTINCT se.modality) FILTER (WHERE se.modality IS NOT NULL), '{}') AS modalities,
         coalesce(array_agg(DISTINCT upper(se.body_part)) FILTER (WHERE se.body_part IS NOT NULL AND se.body_part <> ''), '{}') AS body_parts,
         r.procedure_code, r.priority
    FROM study s
    LEFT JOIN series se ON se.study_fk = s.id
    LEFT JOIN LATERAL (
      SELECT procedure_code, priority FROM exam_request er
       WHERE er.acquired_study_uid = s.study_uid OR er.study_instance_uid = s.study_uid
       ORDER BY (er.acquired_study_uid = s.study_uid) DESC NULLS LAST LIMIT 1) r ON true`;

/** The facts protocol rules look at, read from the catalogue in one statement per call. */
@Injectable()
export class StudyFactsReader {
  private readonly sites: Map<string, string>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) cfg: KryptonConfig,
  ) {
    this.sites = siteOfAe(cfg);
  }

  async forStudy(studyUid: string): Promise<StudyFacts | null> {
    const rows = await this.ds.query(`${FACTS_SQL} WHERE s.study_uid = $1 GROUP BY s.id, r.procedure_code, r.priority`, [studyUid]);
    return rows.length ? this.toFacts(rows[0]) : null;
  }

  /** Studies that arrived in the last `days` days, newest first, at most `limit`. */
  async recent(days: number, limit: number): Promise<StudyFacts[]> {
    const rows = await this.ds.query(
      `${FACTS_SQL} WHERE coalesce(s.stable_at, s.received_at) >= now() - make_interval(days => $1)
        GROUP BY s.id, r.procedure_code, r.priority ORDER BY max(coalesce(s.stable_at, s.received_at)) DESC LIMIT $2`,
      [days, limit],
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw SQL row
    return rows.map((r: any) => this.toFacts(r));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw SQL row
  private toFacts(r: any): StudyFacts {
    return {
      studyUid: r.study_uid,
      sourceAe: r.source_ae,
      sourceSite: r.source_ae ? (this.sites.get(r.source_ae) ?? null) : null,
      modalities: r.modalities,
      bodyParts: r.body_parts,
      studyDescription: r.study_description,
      procedureCode: r.procedure_code ?? null,
      priority: (r.priority as Priority) ?? null,
      at: new Date(r.at),
    };
  }
}
