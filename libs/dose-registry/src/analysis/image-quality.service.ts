import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { AnalysisFilter, DEVICE_KEY, examWhere } from './analysis-filter';

/** Exposure index, target and deviation index per device × protocol, next to the dose (DX/CR). */
@Injectable()
export class ImageQualityService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

  async byProtocol(f: AnalysisFilter) {
    const { underExposedDi, overExposedDi } = this.cfg.dose.imageQuality;
    const w = examWhere(f, 2);
    const rows = await this.ds.query(
      `SELECT e.site, ${DEVICE_KEY} AS device, e.dose_modality AS modality, coalesce(v.protocol, e.protocol) AS protocol, count(*)::int AS images,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY v.exposure_index) AS "medianEi",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY v.target_exposure_index) AS "medianTei",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY v.deviation_index) AS "medianDi",
              count(*) FILTER (WHERE v.deviation_index < $1)::int AS "underExposed",
              count(*) FILTER (WHERE v.deviation_index > $2)::int AS "overExposed",
              count(*) FILTER (WHERE v.deviation_index IS NULL)::int AS "withoutDi",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY v.dap_gy_m2 * 1e7) AS "medianDap_mGy_cm2"
         FROM dose_event v JOIN dose_exam e ON e.id = v.exam_fk
        WHERE (v.exposure_index IS NOT NULL OR v.deviation_index IS NOT NULL) ${w.sql}
        GROUP BY e.site, ${DEVICE_KEY}, e.dose_modality, coalesce(v.protocol, e.protocol)
        ORDER BY e.site NULLS LAST, device, protocol NULLS LAST`,
      [underExposedDi, overExposedDi, ...w.values],
    );
    return { underExposedDi, overExposedDi, protocols: rows };
  }
}
