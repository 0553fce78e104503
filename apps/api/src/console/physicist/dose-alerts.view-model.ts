import { FOLLOW_UP_ROLES, REVIEW_ROLES, type DoseAlertState } from '@krypton/workflows/dose';

export type AlertState = DoseAlertState;

export interface AlertRow {
  readonly id: string;
  readonly state: AlertState;
  readonly openedAt: string;
  readonly site: string | null;
  readonly quantity: string;
  readonly value: number;
  readonly threshold: number;
  readonly unit: string;
  /** How far over the threshold, in percent, rounded: what a physicist triages on. */
  readonly overPercent: number;
  readonly patientKey: string;
  readonly studyUid: string | null;
  readonly reminders: number;
  /** The next answer the alert's workflow waits for, if the viewer's roles may give it. */
  readonly next: 'review' | 'follow-up' | null;
}

/** The patient key the dose history takes: the INS when known, else issuer|Patient ID. */
export function alertPatientKey(a: { ins?: unknown; issuer?: unknown; patientId?: unknown }): string {
  return typeof a.ins === 'string' && a.ins ? a.ins : `${String(a.issuer ?? '')}|${String(a.patientId ?? '')}`;
}

/**
 * Rows of the alert queue. The next step mirrors the dose alert workflow (open → review →
 * follow-up → closed) and its role lists (REVIEW_ROLES, FOLLOW_UP_ROLES): the page offers a form
 * only where the Update would be accepted.
 */
export function alertRows(rows: readonly Record<string, unknown>[], roles: readonly string[]): AlertRow[] {
  return rows.map((a) => {
    const state = a.state as AlertState;
    const value = Number(a.value);
    const threshold = Number(a.threshold);
    const next = state === 'open' && roles.some((r) => REVIEW_ROLES.includes(r)) ? 'review' : state === 'reviewed' && roles.some((r) => FOLLOW_UP_ROLES.includes(r)) ? 'follow-up' : null;
    return {
      id: String(a.id),
      state,
      openedAt: new Date(a.openedAt as string).toISOString(),
      site: (a.site as string | null) ?? null,
      quantity: String(a.quantity),
      value,
      threshold,
      unit: String(a.unit),
      overPercent: threshold > 0 ? Math.round(((value - threshold) / threshold) * 100) : 0,
      patientKey: alertPatientKey(a),
      studyUid: (a.studyUid as string | null) ?? null,
      reminders: Number(a.reminders ?? 0),
      next,
    };
  });
}
