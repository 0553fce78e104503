import { createHash } from 'node:crypto';
import type { AlertCandidate } from './threshold-evaluator';

/**
 * Deterministic alert id: the rule and what crossed it. Re-ingesting the same report, or a later
 * report of the same exam, yields the same id, hence the same row and the same workflow id.
 * Patient-scope alerts are keyed by the exam that made the sum cross; the opener also refuses a
 * second one for the same rule and patient inside the rule's window.
 */
export function alertId(c: AlertCandidate, examId: string, patientFk: string): string {
  const subject = c.scope === 'event' ? `event:${c.eventKey}` : c.scope === 'exam' ? `exam:${examId}` : `patient:${patientFk}:exam:${examId}`;
  const digest = createHash('sha256').update(`${c.ruleId}|${subject}`).digest('hex').slice(0, 20);
  return `${c.ruleId}-${digest}`;
}
