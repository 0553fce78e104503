import type { DoseEvent, DoseReport } from '@krypton/dose-extraction';

/** One stored report of a study, as the combination needs it. */
export interface StoredReportView {
  readonly sopInstanceUid: string;
  readonly source: 'rdsr' | 'header';
  readonly eventKeys: readonly string[];
  readonly totals: DoseReport['totals'];
  readonly receivedAt: string;
}

export interface ExamTotals {
  readonly source: 'rdsr' | 'header';
  readonly dlpTotal_mGy_cm: number | null;
  readonly dapTotal_Gy_m2: number | null;
  readonly rpDoseTotal_Gy: number | null;
  readonly fluoroTime_s: number | null;
  readonly agdTotal_mGy: number | null;
}

export interface EventView {
  readonly key: string;
  readonly source: 'rdsr' | 'header';
  readonly ctdiVol_mGy: number | null;
  readonly dlp_mGy_cm: number | null;
  readonly dap_Gy_m2: number | null;
  readonly rpDose_Gy: number | null;
  readonly agd_mGy: number | null;
  readonly activity_MBq: number | null;
}

/**
 * Reports whose events are all contained in another report of the study: a device that sends a
 * growing series (report 2 repeats report 1's events and adds new ones) supersedes its earlier
 * reports. Disjoint reports (a "continued" study split over two reports) both count. Of two
 * reports with the same event set, the one received last wins.
 */
export function supersededReports(reports: readonly StoredReportView[]): Set<string> {
  const out = new Set<string>();
  const rdsr = reports.filter((r) => r.source === 'rdsr' && r.eventKeys.length > 0);
  for (const r of rdsr) {
    const mine = new Set(r.eventKeys);
    for (const other of rdsr) {
      if (other === r || other.eventKeys.length < mine.size) continue;
      const theirs = new Set(other.eventKeys);
      if (![...mine].every((k) => theirs.has(k))) continue;
      const strictlyBigger = theirs.size > mine.size;
      const later = other.receivedAt > r.receivedAt || (other.receivedAt === r.receivedAt && other.sopInstanceUid > r.sopInstanceUid);
      if (strictlyBigger || later) out.add(r.sopInstanceUid);
    }
  }
  return out;
}

const sum = (values: readonly (number | null)[]): number | null => {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? present.reduce((a, b) => a + b, 0) : null;
};

/**
 * Exam totals. With at least one RDSR, the stated accumulated totals of the current (not
 * superseded) reports are summed: they include dose a device does not itemise per event
 * (fluoroscopy between stored runs). When two current reports share events (partial overlap,
 * which no device should send), stated totals would double-count, so the distinct events are
 * summed instead. Header-only exams sum their events (one event per exposed image).
 */
export function examTotals(reports: readonly StoredReportView[], events: readonly EventView[]): ExamTotals {
  const superseded = supersededReports(reports);
  const current = reports.filter((r) => r.source === 'rdsr' && !superseded.has(r.sopInstanceUid));
  if (current.length > 0) {
    const keys = current.flatMap((r) => r.eventKeys);
    const overlap = new Set(keys).size !== keys.length;
    if (!overlap) {
      return {
        source: 'rdsr',
        dlpTotal_mGy_cm: sum(current.map((r) => r.totals.dlpTotal_mGy_cm)),
        dapTotal_Gy_m2: sum(current.map((r) => r.totals.dapTotal_Gy_m2)),
        rpDoseTotal_Gy: sum(current.map((r) => r.totals.rpDoseTotal_Gy)),
        fluoroTime_s: sum(current.map((r) => r.totals.fluoroTime_s)),
        agdTotal_mGy: sum(current.map((r) => r.totals.agdTotal_mGy)),
      };
    }
    return { ...eventSums(events.filter((e) => e.source === 'rdsr')), source: 'rdsr' };
  }
  return { ...eventSums(events), source: 'header' };
}

function eventSums(events: readonly EventView[]): Omit<ExamTotals, 'source'> {
  return {
    dlpTotal_mGy_cm: sum(events.map((e) => e.dlp_mGy_cm)),
    dapTotal_Gy_m2: sum(events.map((e) => e.dap_Gy_m2)),
    rpDoseTotal_Gy: sum(events.map((e) => e.rpDose_Gy)),
    fluoroTime_s: null,
    agdTotal_mGy: sum(events.map((e) => e.agd_mGy)),
  };
}

/**
 * The registry key of each event: its Irradiation Event UID, or a synthetic key for header dose
 * and for the rare report that omits the UID (position in that SOP instance, stable on re-ingest).
 */
export function eventKeys(report: Pick<DoseReport, 'sopInstanceUid' | 'events'>): { key: string; synthetic: boolean; event: DoseEvent }[] {
  return report.events.map((event, i) =>
    event.irradiationEventUid ? { key: event.irradiationEventUid, synthetic: false, event } : { key: `${report.sopInstanceUid}#${i + 1}`, synthetic: true, event },
  );
}
