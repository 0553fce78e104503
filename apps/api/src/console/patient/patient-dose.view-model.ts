import type { CumulativeFigures, PatientDoseHistory } from '@krypton/dose-registry';

/** One sentence of the patient's dose page: its catalogue key (`patient.dose.sentence.<kind>`) and what fills it. */
export interface DoseSentence {
  readonly kind: 'dlp' | 'dap' | 'agd' | 'activity' | 'rpDose';
  readonly modality: string;
  readonly exams: number;
  readonly value: number;
}

export interface DoseWindow {
  readonly months: number;
  readonly sentences: readonly DoseSentence[];
}

/** The figure of each kind, in the order a patient reads them; a modality has one or two of them. */
const FIGURES: readonly [DoseSentence['kind'], keyof CumulativeFigures][] = [
  ['dlp', 'dlp_mGy_cm'],
  ['dap', 'dap_Gy_cm2'],
  ['agd', 'agd_mGy'],
  ['activity', 'activity_MBq'],
  ['rpDose', 'rpDose_Gy'],
];

const readable = (v: number): number => (Math.abs(v) >= 100 ? Math.round(v) : Number(v.toPrecision(3)));

/**
 * The cumulative history as sentences ("Votre dose cumulée sur les 12 derniers mois…"): one per
 * window × modality × figure the registry has, rounded as a person reads it (three significant digits, whole numbers from 100). Pure, so the unit
 * test checks what the patient is told.
 */
export function doseWindows(history: Pick<PatientDoseHistory, 'cumulative'>): DoseWindow[] {
  return history.cumulative
    .map((w) => ({
      months: w.windowMonths,
      sentences: w.byModality.flatMap((m) =>
        FIGURES.filter(([, field]) => typeof m[field] === 'number').map(([kind, field]) => ({ kind, modality: m.modality, exams: m.exams, value: readable(m[field] as number) })),
      ),
    }))
    .filter((w) => w.sentences.length > 0);
}
