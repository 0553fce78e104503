import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { DoseReport } from '@krypton/dose-extraction';
import type { ExamContext } from './exam-context';
import { EventView, ExamTotals, StoredReportView, eventKeys, examTotals, supersededReports } from './report-combination';

export interface PatientRef {
  readonly patientId: string;
  readonly issuer: string;
}

/** What one ingest left in the registry, for the threshold checks that follow. */
export interface RecordedExam {
  readonly examId: string;
  readonly patientFk: string;
  readonly site: string | null;
  readonly performedAt: string;
  readonly totals: ExamTotals;
  readonly ctdiVolMax_mGy: number | null;
  /** Events of this report, with their registry keys. */
  readonly events: readonly (EventView & { ctdiPhantom: string | null })[];
}

/** The catalogue has no patient row yet for a dose job: indexing runs first, so retry later. */
export class PatientNotIndexedError extends Error {
  constructor(public readonly patient: PatientRef) {
    super(`patient ${patient.issuer}|${patient.patientId} is not in the catalogue yet`);
    this.name = 'PatientNotIndexedError';
  }
}

/**
 * Writes dose reports into the registry. Everything for one report happens in one transaction
 * that starts by upserting the exam row, which locks it: two reports of one study indexed in
 * parallel are serialised there, so the totals recomputed at the end see both.
 */
@Injectable()
export class DoseRegistryService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async record(report: DoseReport, ctx: ExamContext, patient: PatientRef): Promise<RecordedExam> {
    return this.ds.transaction(async (m) => {
      const found = await m.query('SELECT id FROM patient WHERE patient_id = $1 AND issuer = $2', [patient.patientId, patient.issuer]);
      if (!found.length) throw new PatientNotIndexedError(patient);
      const patientFk = String(found[0].id);
      const source = report.source ?? 'header';
      const [exam] = await m.query(
        `INSERT INTO dose_exam (study_uid, patient_fk, performed_at, dose_modality, source, device_observer_uid, manufacturer, model,
                                station_name, site, source_ae, protocol, procedure_codes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (study_uid, dose_modality) DO UPDATE SET
           -- An RDSR's device identity beats an image header's; otherwise keep what is known.
           device_observer_uid = coalesce(dose_exam.device_observer_uid, EXCLUDED.device_observer_uid),
           manufacturer = CASE WHEN EXCLUDED.source = 'rdsr' THEN coalesce(EXCLUDED.manufacturer, dose_exam.manufacturer) ELSE coalesce(dose_exam.manufacturer, EXCLUDED.manufacturer) END,
           model = CASE WHEN EXCLUDED.source = 'rdsr' THEN coalesce(EXCLUDED.model, dose_exam.model) ELSE coalesce(dose_exam.model, EXCLUDED.model) END,
           station_name = coalesce(dose_exam.station_name, EXCLUDED.station_name),
           site = coalesce(dose_exam.site, EXCLUDED.site),
           source_ae = coalesce(dose_exam.source_ae, EXCLUDED.source_ae),
           protocol = coalesce(dose_exam.protocol, EXCLUDED.protocol),
           procedure_codes = ARRAY(SELECT DISTINCT unnest(dose_exam.procedure_codes || EXCLUDED.procedure_codes)),
           updated_at = now()
         RETURNING id`,
        [
          ctx.studyUid,
          patientFk,
          ctx.performedAt,
          ctx.doseModality,
          source,
          report.deviceObserverUid,
          ctx.manufacturer,
          ctx.model,
          ctx.stationName,
          ctx.site,
          ctx.sourceAe,
          ctx.protocol,
          ctx.procedureCodes,
        ],
      );
      const examId = String(exam.id);
      const keyed = eventKeys(report);
      await m.query(
        `INSERT INTO dose_report (sop_instance_uid, exam_fk, kind, source, template, device_observer_uid, event_keys, totals, warnings)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (sop_instance_uid) DO UPDATE SET event_keys = EXCLUDED.event_keys, totals = EXCLUDED.totals, warnings = EXCLUDED.warnings`,
        [report.sopInstanceUid, examId, report.kind, source, report.template, report.deviceObserverUid, keyed.map((k) => k.key), JSON.stringify(report.totals), JSON.stringify(report.warnings)],
      );
      const rows = keyed.map(({ key, synthetic, event: e }) => ({
        event_key: key,
        synthetic_key: synthetic,
        protocol: e.acquisitionProtocol ?? ctx.protocol,
        event_type: e.eventType?.meaning ?? e.eventType?.value ?? null,
        ctdi_phantom: e.ctdiPhantom ?? null,
        ctdivol_mgy: e.ctdiVol_mGy,
        dlp_mgy_cm: e.dlp_mGy_cm,
        dap_gy_m2: e.dap_Gy_m2,
        rp_dose_gy: e.rpDose_Gy,
        agd_mgy: e.agd_mGy,
        entrance_dose_mgy: e.entranceDose_mGy ?? null,
        activity_mbq: e.administeredActivity_MBq ?? null,
        exposure_index: e.exposureIndex ?? null,
        target_exposure_index: e.targetExposureIndex ?? null,
        deviation_index: e.deviationIndex ?? null,
        performed_at: e.dateTimeStarted ? (dicomDateTime(e.dateTimeStarted) ?? ctx.performedAt) : ctx.performedAt,
      }));
      if (rows.length) await upsertEvents(m, rows, { examId, patientFk, report: report.sopInstanceUid as string, modality: ctx.doseModality, source });
      const recomputed = await this.recompute(m, examId);
      return {
        examId,
        patientFk,
        site: ctx.site,
        performedAt: ctx.performedAt,
        totals: recomputed.totals,
        ctdiVolMax_mGy: recomputed.ctdiVolMax,
        events: keyed.map(({ key, event: e }) => ({
          key,
          source,
          ctdiPhantom: e.ctdiPhantom ?? null,
          ctdiVol_mGy: e.ctdiVol_mGy,
          dlp_mGy_cm: e.dlp_mGy_cm,
          dap_Gy_m2: e.dap_Gy_m2,
          rpDose_Gy: e.rpDose_Gy,
          agd_mGy: e.agd_mGy,
          activity_MBq: e.administeredActivity_MBq ?? null,
        })),
      };
    });
  }

  /** Totals from scratch, so that replays and out-of-order reports converge on the same figures. */
  private async recompute(m: EntityManager, examId: string): Promise<{ totals: ExamTotals; ctdiVolMax: number | null }> {
    const reports: StoredReportView[] = (await m.query(`SELECT sop_instance_uid, source, event_keys, totals, received_at FROM dose_report WHERE exam_fk = $1`, [examId]))
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw SQL row
      .map((r: Record<string, any>) => ({
        sopInstanceUid: r.sop_instance_uid,
        source: r.source,
        eventKeys: r.event_keys,
        totals: r.totals,
        receivedAt: new Date(r.received_at).toISOString(),
      }));
    const events: EventView[] = (await m.query(`SELECT event_key, source, ctdivol_mgy, dlp_mgy_cm, dap_gy_m2, rp_dose_gy, agd_mgy, activity_mbq FROM dose_event WHERE exam_fk = $1`, [examId]))
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw SQL row
      .map((r: Record<string, any>) => ({
        key: r.event_key,
        source: r.source,
        ctdiVol_mGy: r.ctdivol_mgy,
        dlp_mGy_cm: r.dlp_mgy_cm,
        dap_Gy_m2: r.dap_gy_m2,
        rpDose_Gy: r.rp_dose_gy,
        agd_mGy: r.agd_mgy,
        activity_MBq: r.activity_mbq,
      }));
    const totals = examTotals(reports, events);
    const superseded = [...supersededReports(reports)];
    const ctdis = events.map((e) => e.ctdiVol_mGy).filter((v): v is number => v !== null);
    const ctdiVolMax = ctdis.length ? Math.max(...ctdis) : null;
    const activities = events.map((e) => e.activity_MBq).filter((v): v is number => v !== null);
    await m.query(`UPDATE dose_report SET superseded = (sop_instance_uid = ANY($2)) WHERE exam_fk = $1`, [examId, superseded]);
    await m.query(
      `UPDATE dose_exam SET source = $2, event_count = $3, ctdivol_max_mgy = $4, dlp_total_mgy_cm = $5, dap_total_gy_m2 = $6,
              rp_dose_total_gy = $7, fluoro_time_s = $8, agd_total_mgy = $9, activity_total_mbq = $10, updated_at = now()
        WHERE id = $1`,
      [
        examId,
        totals.source,
        events.length,
        ctdiVolMax,
        totals.dlpTotal_mGy_cm,
        totals.dapTotal_Gy_m2,
        totals.rpDoseTotal_Gy,
        totals.fluoroTime_s,
        totals.agdTotal_mGy,
        activities.length ? activities.reduce((a, b) => a + b, 0) : null,
      ],
    );
    return { totals, ctdiVolMax };
  }
}

/**
 * One statement for all events of a report. An event already filed under another exam (the same
 * Irradiation Event UID in a report of another study) stays where it is: it is counted once.
 */
async function upsertEvents(m: EntityManager, rows: Record<string, unknown>[], common: { examId: string; patientFk: string; report: string; modality: string; source: string }): Promise<void> {
  await m.query(
    `INSERT INTO dose_event (event_key, synthetic_key, exam_fk, patient_fk, report_sop_uid, performed_at, dose_modality, source, protocol,
                             event_type, ctdi_phantom, ctdivol_mgy, dlp_mgy_cm, dap_gy_m2, rp_dose_gy, agd_mgy, entrance_dose_mgy,
                             activity_mbq, exposure_index, target_exposure_index, deviation_index)
     SELECT r.event_key, r.synthetic_key, $2, $3, $4, r.performed_at, $5, $6, r.protocol, r.event_type, r.ctdi_phantom, r.ctdivol_mgy,
            r.dlp_mgy_cm, r.dap_gy_m2, r.rp_dose_gy, r.agd_mgy, r.entrance_dose_mgy, r.activity_mbq, r.exposure_index,
            r.target_exposure_index, r.deviation_index
       FROM jsonb_to_recordset($1::jsonb) AS r(event_key text, synthetic_key boolean, performed_at timestamptz, protocol text,
            event_type text, ctdi_phantom text, ctdivol_mgy float8, dlp_mgy_cm float8, dap_gy_m2 float8, rp_dose_gy float8,
            agd_mgy float8, entrance_dose_mgy float8, activity_mbq float8, exposure_index float8, target_exposure_index float8,
            deviation_index float8)
     ON CONFLICT (event_key) DO UPDATE SET
       report_sop_uid = EXCLUDED.report_sop_uid, protocol = EXCLUDED.protocol, event_type = EXCLUDED.event_type,
       ctdi_phantom = EXCLUDED.ctdi_phantom, ctdivol_mgy = EXCLUDED.ctdivol_mgy, dlp_mgy_cm = EXCLUDED.dlp_mgy_cm,
       dap_gy_m2 = EXCLUDED.dap_gy_m2, rp_dose_gy = EXCLUDED.rp_dose_gy, agd_mgy = EXCLUDED.agd_mgy,
       entrance_dose_mgy = EXCLUDED.entrance_dose_mgy, activity_mbq = EXCLUDED.activity_mbq, exposure_index = EXCLUDED.exposure_index,
       target_exposure_index = EXCLUDED.target_exposure_index, deviation_index = EXCLUDED.deviation_index, updated_at = now()
     WHERE dose_event.exam_fk = EXCLUDED.exam_fk`,
    [JSON.stringify(rows), common.examId, common.patientFk, common.report, common.modality, common.source],
  );
}

/** DICOM DT (YYYYMMDDHHMMSS[.F][&ZZXX]) to ISO; null when unreadable. */
export function dicomDateTime(dt: string): string | null {
  const m = dt.match(/^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?(?:\.\d+)?([+-]\d{4})?$/);
  if (!m) return null;
  const zone = m[7] ? `${m[7].slice(0, 3)}:${m[7].slice(3)}` : 'Z';
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${zone}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
