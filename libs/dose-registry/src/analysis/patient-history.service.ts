import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { KRYPTON_CONFIG, KryptonConfig } from '@krypton/config';
import { numberPlaceholders, PatientKey, patientSqlCondition } from '@krypton/patient-match';

export interface CumulativeFigures {
  readonly modality: string;
  readonly exams: number;
  readonly dlp_mGy_cm: number | null;
  readonly dap_Gy_cm2: number | null;
  readonly rpDose_Gy: number | null;
  readonly agd_mGy: number | null;
  readonly activity_MBq: number | null;
}

export interface PatientDoseHistory {
  readonly patients: readonly { patientId: string; issuer: string; ins: string | null }[];
  readonly exams: readonly Record<string, unknown>[];
  readonly cumulative: readonly { windowMonths: number; from: string; byModality: readonly CumulativeFigures[] }[];
}

/**
 * Patient rows the key designates, by the hub's patient-matching rule (@krypton/patient-match):
 * an INS reaches every row that carries it (one per site and issuer); a local identifier reaches
 * its row, and the history then follows that row's INS to the person's records at other sites.
 */
function patientsQuery(key: PatientKey): { text: string; values: unknown[] } {
  const seed = patientSqlCondition(key, { patientId: 's.patient_id', issuer: 's.issuer', ins: 's.ins' });
  return {
    text: `
  WITH seed AS (SELECT s.id, s.ins FROM patient s WHERE ${numberPlaceholders(seed)})
  SELECT p.id, p.patient_id AS "patientId", p.issuer, p.ins FROM patient p
   WHERE p.id IN (SELECT id FROM seed) OR (p.ins IS NOT NULL AND p.ins IN (SELECT ins FROM seed WHERE ins IS NOT NULL))
   ORDER BY p.issuer, p.patient_id`,
    values: [...seed.params],
  };
}

/** Per-exam totals and cumulative figures; served from dose_exam_patient_idx alone. */
@Injectable()
export class PatientHistoryService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(KRYPTON_CONFIG) private readonly cfg: KryptonConfig,
  ) {}

  async history(key: PatientKey, windowsMonths: readonly number[] = this.cfg.dose.historyWindowsMonths, now = new Date()): Promise<PatientDoseHistory | null> {
    const q = patientsQuery(key);
    const patients = await this.ds.query(q.text, q.values);
    if (!patients.length) return null;
    const ids = patients.map((p: { id: string }) => p.id);
    const exams = await this.ds.query(
      `SELECT e.study_uid AS "studyUid", e.performed_at AS "performedAt", e.dose_modality AS modality, e.source, e.site,
              e.station_name AS "stationName", e.manufacturer, e.model, e.device_observer_uid AS "deviceObserverUid",
              e.protocol, e.event_count AS "eventCount", e.ctdivol_max_mgy AS "ctdiVolMax_mGy", e.dlp_total_mgy_cm AS "dlpTotal_mGy_cm",
              e.dap_total_gy_m2 * 10000 AS "dapTotal_Gy_cm2", e.rp_dose_total_gy AS "rpDoseTotal_Gy", e.fluoro_time_s AS "fluoroTime_s",
              e.agd_total_mgy AS "agdTotal_mGy", e.activity_total_mbq AS "activityTotal_MBq"
         FROM dose_exam e WHERE e.patient_fk = ANY($1::bigint[]) ORDER BY e.performed_at DESC, e.id`,
      [ids],
    );
    const cumulative = await Promise.all(
      [...windowsMonths]
        .sort((a, b) => a - b)
        .map(async (months) => {
          const from = new Date(now);
          from.setUTCMonth(from.getUTCMonth() - months);
          const rows = await this.ds.query(
            `SELECT dose_modality AS modality, count(*)::int AS exams, sum(dlp_total_mgy_cm) AS "dlp_mGy_cm", sum(dap_total_gy_m2) * 10000 AS "dap_Gy_cm2",
                  sum(rp_dose_total_gy) AS "rpDose_Gy", sum(agd_total_mgy) AS "agd_mGy", sum(activity_total_mbq) AS "activity_MBq"
             FROM dose_exam WHERE patient_fk = ANY($1::bigint[]) AND performed_at > $2 AND performed_at <= $3
            GROUP BY dose_modality ORDER BY dose_modality`,
            [ids, from.toISOString(), now.toISOString()],
          );
          return { windowMonths: months, from: from.toISOString(), byModality: rows };
        }),
    );
    return { patients: patients.map(({ id: _id, ...p }: Record<string, unknown>) => p), exams, cumulative };
  }
}
