import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { DOSE_PRODUCING_MODALITIES } from '../dose-bearing';

/**
 * Exams of dose-producing modalities with no dose data once the delay has passed, per site and
 * device (station name of the image series). The site comes from the sending AE's configured site.
 */
@Injectable()
export class ExhaustivenessService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

  async report(opts: { site?: string; delayHours?: number; limit: number }) {
    const delay = opts.delayHours ?? this.cfg.dose.exhaustivenessDelayHours;
    const aes = this.cfg.aes.map((a) => a.aeTitle);
    const sites = this.cfg.aes.map((a) => a.site);
    const base = `
      WITH ae_site AS (SELECT * FROM unnest($1::text[], $2::text[]) AS t(ae, site)),
      exams AS (
        SELECT DISTINCT ON (st.id, se.modality) st.id, st.study_uid, st.study_date, st.received_at, se.modality, se.station_name,
               s.site, EXISTS (SELECT 1 FROM dose_exam d WHERE d.study_uid = st.study_uid) AS has_dose
          FROM study st JOIN series se ON se.study_fk = st.id LEFT JOIN ae_site s ON s.ae = st.source_ae
         WHERE se.modality = ANY($3::text[]) AND st.received_at < now() - make_interval(hours => $4::int)
           AND ($5::text IS NULL OR s.site = $5)
         ORDER BY st.id, se.modality, se.station_name NULLS LAST)`;
    const args = [aes, sites, [...DOSE_PRODUCING_MODALITIES], Math.round(delay), opts.site ?? null];
    const summary = await this.ds.query(
      `${base} SELECT site, station_name AS "stationName", modality, count(*)::int AS exams, count(*) FILTER (WHERE NOT has_dose)::int AS "withoutDose",
              round(1 - count(*) FILTER (WHERE NOT has_dose)::numeric / count(*), 4)::float8 AS "doseRate"
         FROM exams GROUP BY site, station_name, modality ORDER BY site NULLS LAST, "stationName" NULLS LAST, modality`,
      args,
    );
    const missing = await this.ds.query(
      `${base} SELECT study_uid AS "studyUid", study_date AS "studyDate", received_at AS "receivedAt", modality, station_name AS "stationName", site
         FROM exams WHERE NOT has_dose ORDER BY received_at DESC LIMIT $6`,
      [...args, opts.limit],
    );
    return { delayHours: delay, summary, missing };
  }
}
