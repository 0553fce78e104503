import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { NrdCategory, NrdTable } from '../nrd/nrd-table';
import { AnalysisFilter, DEVICE_KEY, examWhere } from './analysis-filter';

export const NRD_TABLE = Symbol('NRD_TABLE');

/** Minimum, quartiles and maximum in one ordered-set aggregate (one sort per quantity, not five). */
const FIVE = 'ARRAY[0, 0.25, 0.5, 0.75, 1]::float8[]';

/** The five numbers of percentile_cont(FIVE); PostgreSQL gives an array of nulls when no value was there. */
export function quantitySummary(five: readonly (number | null)[] | null): QuantitySummary {
  const [min, p25, median, p75, max] = five ?? [null, null, null, null, null];
  return { median, p75, min, p25, max };
}

export interface ProtocolStatistics {
  readonly site: string | null;
  readonly device: string;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly stationName: string | null;
  readonly modality: string;
  readonly protocol: string | null;
  readonly events: number;
  readonly patients: number;
  readonly ctdiVol_mGy: QuantitySummary;
  readonly dlp_mGy_cm: QuantitySummary;
  readonly dap_mGy_cm2: QuantitySummary;
  readonly agd_mGy: QuantitySummary;
  readonly nrd: NrdComparison | null;
}

/**
 * The median and 75th percentile the NRD regulation reads, with the minimum, first quartile and
 * maximum beside them: the five numbers of a box plot (all null when no event has the quantity).
 */
export interface QuantitySummary {
  readonly median: number | null;
  readonly p75: number | null;
  readonly min: number | null;
  readonly p25: number | null;
  readonly max: number | null;
}

export interface NrdComparison {
  readonly category: string;
  readonly label: string;
  readonly quantity: NrdCategory['quantity'];
  readonly nrd: number;
  readonly vgd: number | null;
  readonly median: number | null;
  /** null when fewer patients than the regulation asks for: no verdict on too small a sample. */
  readonly medianAboveNrd: boolean | null;
  readonly medianAboveVgd: boolean | null;
  readonly enoughPatients: boolean;
  readonly minPatients: number;
}

/**
 * Per device × protocol statistics over irradiation events (French NRD are stated per
 * acquisition). The protocol is the event's acquisition protocol, else the exam's.
 */
@Injectable()
export class ProtocolStatsService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
    @Inject(NRD_TABLE) private readonly nrd: NrdTable,
  ) {}

  async statistics(f: AnalysisFilter): Promise<ProtocolStatistics[]> {
    const w = examWhere(f);
    const rows = await this.ds.query(
      `SELECT e.site, ${DEVICE_KEY} AS device, min(e.manufacturer) AS manufacturer, min(e.model) AS model, min(e.station_name) AS "stationName",
              e.dose_modality AS modality, coalesce(v.protocol, e.protocol) AS protocol, count(*)::int AS events,
              count(DISTINCT e.patient_fk)::int AS patients,
              percentile_cont(${FIVE}) WITHIN GROUP (ORDER BY v.ctdivol_mgy) AS ctdi, percentile_cont(${FIVE}) WITHIN GROUP (ORDER BY v.dlp_mgy_cm) AS dlp,
              percentile_cont(${FIVE}) WITHIN GROUP (ORDER BY v.dap_gy_m2 * 1e7) AS dap, percentile_cont(${FIVE}) WITHIN GROUP (ORDER BY v.agd_mgy) AS agd,
              array_agg(DISTINCT c) FILTER (WHERE c IS NOT NULL) AS codes
         FROM dose_event v JOIN dose_exam e ON e.id = v.exam_fk LEFT JOIN LATERAL unnest(e.procedure_codes) c ON true
        WHERE true ${w.sql}
        GROUP BY e.site, ${DEVICE_KEY}, e.dose_modality, coalesce(v.protocol, e.protocol)
        ORDER BY e.site NULLS LAST, device, modality, protocol NULLS LAST`,
      w.values,
    );
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw SQL row
    return rows.map((r: Record<string, any>) => this.withNrd(r));
  }

  /** Monthly medians for one device × protocol, oldest first: a chart reads it as is. */
  async trend(device: string, protocol: string | null, f: AnalysisFilter): Promise<Record<string, unknown>[]> {
    const w = examWhere(f, 2);
    return this.ds.query(
      `SELECT to_char(date_trunc('month', v.performed_at), 'YYYY-MM') AS month, count(*)::int AS events, count(DISTINCT e.patient_fk)::int AS patients,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY v.ctdivol_mgy) AS "ctdiVol_mGy", percentile_cont(0.5) WITHIN GROUP (ORDER BY v.dlp_mgy_cm) AS "dlp_mGy_cm",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY v.dap_gy_m2 * 1e7) AS "dap_mGy_cm2", percentile_cont(0.5) WITHIN GROUP (ORDER BY v.agd_mgy) AS "agd_mGy"
         FROM dose_event v JOIN dose_exam e ON e.id = v.exam_fk
        WHERE ${DEVICE_KEY} = $1 AND coalesce(v.protocol, e.protocol) IS NOT DISTINCT FROM $2 ${w.sql}
        GROUP BY 1 ORDER BY 1`,
      [device, protocol, ...w.values],
    );
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw SQL row
  private withNrd(r: Record<string, any>): ProtocolStatistics {
    const stats = {
      site: r.site,
      device: r.device,
      manufacturer: r.manufacturer,
      model: r.model,
      stationName: r.stationName,
      modality: r.modality,
      protocol: r.protocol,
      events: r.events,
      patients: r.patients,
      ctdiVol_mGy: quantitySummary(r.ctdi),
      dlp_mGy_cm: quantitySummary(r.dlp),
      dap_mGy_cm2: quantitySummary(r.dap),
      agd_mGy: quantitySummary(r.agd),
    };
    const category = this.nrd.categoryOf(r.modality, r.protocol, r.codes ?? []);
    if (!category) return { ...stats, nrd: null };
    const median = category.quantity === 'activity_MBq' ? null : stats[category.quantity].median;
    const minPatients = this.cfg.dose.regulatoryMinPatients;
    const enoughPatients = r.patients >= minPatients;
    const verdict = (limit: number | undefined) => (limit === undefined || median === null || !enoughPatients ? null : median > limit);
    return {
      ...stats,
      nrd: {
        category: category.id,
        label: category.label,
        quantity: category.quantity,
        nrd: category.nrd,
        vgd: category.vgd ?? null,
        median,
        medianAboveNrd: verdict(category.nrd),
        medianAboveVgd: verdict(category.vgd),
        enoughPatients,
        minPatients,
      },
    };
  }
}

/** Flat rows for the CSV export, one per device × protocol. */
export function statisticsCsvRows(stats: readonly ProtocolStatistics[]): Record<string, unknown>[] {
  return stats.map((s) => ({
    site: s.site,
    device: s.device,
    manufacturer: s.manufacturer,
    model: s.model,
    station: s.stationName,
    modality: s.modality,
    protocol: s.protocol,
    events: s.events,
    patients: s.patients,
    ctdivol_median_mgy: s.ctdiVol_mGy.median,
    ctdivol_p75_mgy: s.ctdiVol_mGy.p75,
    dlp_median_mgy_cm: s.dlp_mGy_cm.median,
    dlp_p75_mgy_cm: s.dlp_mGy_cm.p75,
    dap_median_mgy_cm2: s.dap_mGy_cm2.median,
    dap_p75_mgy_cm2: s.dap_mGy_cm2.p75,
    agd_median_mgy: s.agd_mGy.median,
    agd_p75_mgy: s.agd_mGy.p75,
    nrd_category: s.nrd?.category,
    nrd_value: s.nrd?.nrd,
    nrd_quantity: s.nrd?.quantity,
    median_above_nrd: s.nrd?.medianAboveNrd,
    enough_patients: s.nrd?.enoughPatients,
  }));
}

export const STATISTICS_CSV_COLUMNS = [
  'site',
  'device',
  'manufacturer',
  'model',
  'station',
  'modality',
  'protocol',
  'events',
  'patients',
  'ctdivol_median_mgy',
  'ctdivol_p75_mgy',
  'dlp_median_mgy_cm',
  'dlp_p75_mgy_cm',
  'dap_median_mgy_cm2',
  'dap_p75_mgy_cm2',
  'agd_median_mgy',
  'agd_p75_mgy',
  'nrd_category',
  'nrd_value',
  'nrd_quantity',
  'median_above_nrd',
  'enough_patients',
];
