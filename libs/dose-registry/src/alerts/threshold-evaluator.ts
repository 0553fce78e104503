import type { DoseQuantity, DoseThreshold } from '@krypton/config';
import type { RecordedExam } from '../dose-registry.service';

/** A threshold crossed by one event, one exam, or a patient's cumulative dose. */
export interface AlertCandidate {
  readonly ruleId: string;
  readonly scope: DoseThreshold['scope'];
  readonly quantity: DoseQuantity;
  readonly value: number;
  readonly threshold: number;
  readonly unit: string;
  readonly source: string;
  /** What crossed: the event key, or null for exam and patient scope. */
  readonly eventKey: string | null;
}

export const QUANTITY_UNIT: Record<DoseQuantity, string> = {
  rpDose_Gy: 'Gy',
  dap_Gy_cm2: 'Gy·cm²',
  ctdiVol_mGy: 'mGy',
  dlp_mGy_cm: 'mGy·cm',
  agd_mGy: 'mGy',
};

/** The registry stores DAP in Gy·m² (the RDSR unit); thresholds are published in Gy·cm². */
const GY_M2_TO_GY_CM2 = 1e4;

type EventLike = RecordedExam['events'][number];

function eventValue(e: EventLike, t: DoseThreshold): number | null {
  switch (t.quantity) {
    case 'rpDose_Gy':
      return e.rpDose_Gy;
    case 'dap_Gy_cm2':
      return e.dap_Gy_m2 === null ? null : e.dap_Gy_m2 * GY_M2_TO_GY_CM2;
    case 'ctdiVol_mGy':
      // A per-phantom value compares only with CTDIvol stated for that phantom.
      return t.phantom && e.ctdiPhantom !== t.phantom ? null : e.ctdiVol_mGy;
    case 'dlp_mGy_cm':
      return e.dlp_mGy_cm;
    case 'agd_mGy':
      return e.agd_mGy;
  }
}

function examValue(x: RecordedExam, t: DoseThreshold): number | null {
  switch (t.quantity) {
    case 'rpDose_Gy':
      return x.totals.rpDoseTotal_Gy;
    case 'dap_Gy_cm2':
      return x.totals.dapTotal_Gy_m2 === null ? null : x.totals.dapTotal_Gy_m2 * GY_M2_TO_GY_CM2;
    case 'ctdiVol_mGy': {
      const values = x.events.map((e) => eventValue(e, t)).filter((v): v is number => v !== null);
      return values.length ? Math.max(...values) : null;
    }
    case 'dlp_mGy_cm':
      return x.totals.dlpTotal_mGy_cm;
    case 'agd_mGy':
      return x.totals.agdTotal_mGy;
  }
}

/**
 * The thresholds an ingest crossed. `cumulative` holds, per patient-scope rule id, the patient's
 * sum over the rule's window (computed by the caller in SQL). Strictly above the value: a
 * threshold is the last acceptable figure.
 */
export function crossedThresholds(thresholds: readonly DoseThreshold[], exam: RecordedExam, cumulative: ReadonlyMap<string, number>): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  const base = (t: DoseThreshold) => ({ ruleId: t.id, scope: t.scope, quantity: t.quantity, threshold: t.value, unit: QUANTITY_UNIT[t.quantity], source: t.source });
  for (const t of thresholds) {
    if (t.scope === 'event') {
      for (const e of exam.events) {
        const v = eventValue(e, t);
        if (v !== null && v > t.value) out.push({ ...base(t), value: v, eventKey: e.key });
      }
    } else if (t.scope === 'exam') {
      const v = examValue(exam, t);
      if (v !== null && v > t.value) out.push({ ...base(t), value: v, eventKey: null });
    } else {
      const v = cumulative.get(t.id);
      if (v !== undefined && v > t.value) out.push({ ...base(t), value: v, eventKey: null });
    }
  }
  return out;
}

/** Column expression of a patient-scope quantity in dose_exam, in the threshold's unit. */
export function cumulativeColumn(q: DoseQuantity): string | null {
  switch (q) {
    case 'rpDose_Gy':
      return 'rp_dose_total_gy';
    case 'dap_Gy_cm2':
      return `dap_total_gy_m2 * ${GY_M2_TO_GY_CM2}`;
    case 'dlp_mGy_cm':
      return 'dlp_total_mgy_cm';
    case 'agd_mGy':
      return 'agd_total_mgy';
    default:
      return null;
  }
}
