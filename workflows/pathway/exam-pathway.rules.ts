import { ApplicationFailure } from '@temporalio/workflow';
import {
  CHANGE_ROLES,
  PATHWAY_INVALID_INPUT,
  PATHWAY_ROLE_REFUSED,
  PATHWAY_WRONG_STATE,
  PathwayState,
  READ_ROLES,
  READING_TASK_TAKEN,
  SCHEDULE_ROLES,
  type ChangeInput,
  type PathwayStatus,
  type ReaderInput,
  type ScheduleInput,
  type SignInput,
} from './contract';

/**
 * The pathway's Update validators: pure functions of the status, run both as validators (so a
 * refused Update leaves no trace in history) and again in the handler (two Updates may both pass
 * their validators before either handler runs).
 */
export function refuse(type: string, message: string, details: unknown[] = []): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true, details });
}

function requireRole(roles: readonly string[], allowed: readonly string[], what: string): void {
  if (!roles.some((r) => allowed.includes(r))) refuse(PATHWAY_ROLE_REFUSED, `${what} requires one of the roles: ${allowed.join(', ')}`);
}

/** `busy` names a transition in progress that the state does not show yet. */
export function checkSchedule(status: PathwayStatus, busy: string | null, s: ScheduleInput): void {
  requireRole(s.roles, SCHEDULE_ROLES, 'schedule');
  // Rescheduling is possible until the modality has started (MPPS or images): after that the slot is history.
  // A discontinued MPPS does not count: the coordinator reschedules exactly that case.
  const mpps = status.acquisition.mpps;
  const started = status.acquisition.study !== null || (mpps !== null && mpps.status !== 'DISCONTINUED');
  if ((status.state !== PathwayState.Received && status.state !== PathwayState.Scheduled) || started || busy) {
    refuse(PATHWAY_WRONG_STATE, `schedule is possible before acquisition starts, the request is ${busy ?? `"${status.state}"`}`);
  }
  if (!s.site?.trim()) refuse(PATHWAY_INVALID_INPUT, 'site must not be empty', [{ field: 'site' }]);
  if (!s.aeTitle?.trim()) refuse(PATHWAY_INVALID_INPUT, 'aeTitle must not be empty', [{ field: 'aeTitle' }]);
  if (Number.isNaN(Date.parse(s.scheduledAt))) refuse(PATHWAY_INVALID_INPUT, `scheduledAt "${s.scheduledAt}" is not an ISO 8601 date-time`, [{ field: 'scheduledAt' }]);
}

function checkReadingOpen(status: PathwayStatus, busy: string | null, what: string): void {
  if (status.state !== PathwayState.Reading || !status.reading || busy) {
    refuse(PATHWAY_WRONG_STATE, `${what} is possible while the exam waits for reading, the request is ${busy ?? `"${status.state}"`}`);
  }
}

export function checkClaim(status: PathwayStatus, busy: string | null, r: ReaderInput): void {
  requireRole(r.roles, READ_ROLES, 'claim');
  checkReadingOpen(status, busy, 'claim');
  const pool = status.reading!.pool;
  if (!r.pools.includes(pool)) refuse(PATHWAY_ROLE_REFUSED, `the task is in pool "${pool}", which ${r.by} does not read for`);
  const holder = status.reading!.claimedBy;
  if (holder && holder !== r.by) refuse(READING_TASK_TAKEN, `the task is claimed by ${holder}`, [{ claimedBy: holder }]);
}

export function checkRelease(status: PathwayStatus, busy: string | null, r: ReaderInput): void {
  checkReadingOpen(status, busy, 'release');
  const holder = status.reading!.claimedBy;
  if (!holder) refuse(PATHWAY_WRONG_STATE, 'the task is not claimed');
  // A coordinator may take a task back from a radiologist who left; nobody else may.
  if (holder !== r.by && !r.roles.some((x) => SCHEDULE_ROLES.includes(x))) refuse(READING_TASK_TAKEN, `the task is claimed by ${holder}`, [{ claimedBy: holder }]);
}

export function checkSign(status: PathwayStatus, busy: string | null, s: SignInput): void {
  requireRole(s.roles, READ_ROLES, 'sign');
  checkReadingOpen(status, busy, 'sign');
  const holder = status.reading!.claimedBy;
  if (holder !== s.by) refuse(READING_TASK_TAKEN, holder ? `the task is claimed by ${holder}` : 'claim the task before signing', [{ claimedBy: holder }]);
  if (!s.conclusion?.trim()) refuse(PATHWAY_INVALID_INPUT, 'conclusion must not be empty', [{ field: 'conclusion' }]);
  if (typeof s.findings !== 'string') refuse(PATHWAY_INVALID_INPUT, 'findings must be text', [{ field: 'findings' }]);
}

const PRIORITIES = ['routine', 'urgent', 'emergency'];
/** Once the report is signed the order is history: a change would not match what was read. */
const CHANGEABLE: readonly PathwayState[] = [PathwayState.Received, PathwayState.Scheduled, PathwayState.Acquiring, PathwayState.AwaitingDose, PathwayState.Reading];

export function checkChange(status: PathwayStatus, busy: string | null, c: ChangeInput): void {
  requireRole(c.roles, CHANGE_ROLES, 'change');
  if (!CHANGEABLE.includes(status.state) || busy) {
    refuse(PATHWAY_WRONG_STATE, `a change is possible until the report is signed, the request is ${busy ?? `"${status.state}"`}`);
  }
  if (c.priority === undefined && c.procedureCode === undefined && c.clinicalInformation === undefined) {
    refuse(PATHWAY_INVALID_INPUT, 'a change names at least one of priority, procedureCode, clinicalInformation', [{ field: 'priority' }]);
  }
  if (c.priority !== undefined && !PRIORITIES.includes(c.priority)) refuse(PATHWAY_INVALID_INPUT, `priority must be one of ${PRIORITIES.join(', ')}`, [{ field: 'priority' }]);
  if (c.procedureCode !== undefined && !c.procedureCode.trim()) refuse(PATHWAY_INVALID_INPUT, 'procedureCode must not be empty', [{ field: 'procedureCode' }]);
}
