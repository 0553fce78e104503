import { ApplicationFailure } from '@temporalio/activity';
import type { PathwayActivities, ProgressInput, PathwayTiming } from '@krypton/workflows/pathway';
import type { PriorsActivities } from '@krypton/workflows/priors';

export const TIMING: PathwayTiming = {
  mppsGraceMinutes: 30,
  imagesGraceMinutes: 120,
  doseWaitMinutes: 60,
  dosePollMinutes: 5,
  resultsRetryInitialSeconds: 30,
  resultsRetryMaxSeconds: 1800,
};
export const SLA_MINUTES = { emergency: 60, urgent: 24 * 60, routine: 72 * 60 };

export interface ScriptOptions {
  readonly refuseAe?: string;
  /** checkDose answers found from this call on (1-based); never when absent. */
  readonly doseFoundFromCall?: number;
  /** deliverResults fails this many times before succeeding. */
  readonly deliveryFailures?: number;
}

/**
 * The pathway's activities as an in-memory script: the workflow's own rules (ordering, deadlines,
 * Update validation, cancellation) are tested with time skipping; the real activities against
 * PostgreSQL, Temporal and the DICOM/HL7 peers are covered by the pathway end-to-end suite.
 */
export function scriptedPathway(opts: ScriptOptions = {}) {
  const calls: { name: string; input: unknown }[] = [];
  const progress: ProgressInput[] = [];
  const worklist = new Set<string>();
  const findings: string[] = [];
  const sla: string[] = [];
  let doseCalls = 0;
  let priority: 'routine' | 'urgent' | 'emergency' | null = null;
  let openedAt: string | null = null;
  const deadlines = (p: keyof typeof SLA_MINUTES, opened: string) => {
    const ms = SLA_MINUTES[p] * 60_000;
    return { warnAt: new Date(Date.parse(opened) + ms * 0.75).toISOString(), dueAt: new Date(Date.parse(opened) + ms).toISOString() };
  };
  let deliveries = 0;
  const log = (name: string, input: unknown) => void calls.push({ name, input });
  const activities: PathwayActivities & PriorsActivities = {
    recordIntake: async (i) => {
      log('recordIntake', i);
      priority = i.priority as typeof priority;
      return TIMING;
    },
    changeRequest: async (i) => {
      log('changeRequest', i);
      const changed = i.priority !== undefined && i.priority !== priority;
      priority = i.priority ?? priority;
      return { priority: priority!, reading: changed && openedAt ? deadlines(priority!, openedAt) : null };
    },
    scheduleExam: async (i) => {
      if (i.aeTitle === opts.refuseAe) throw ApplicationFailure.create({ type: 'UnknownModalityAe', message: `"${i.aeTitle}" is not a configured modality AE`, nonRetryable: true });
      log('scheduleExam', i);
      worklist.add(i.requestId);
      return { accessionNumber: 'KR00000001', studyInstanceUid: '2.25.1' };
    },
    recordProgress: async (i) => void progress.push(i),
    completeAcquisition: async (i) => {
      log('completeAcquisition', i);
      findings.push(...i.findings);
      worklist.delete(i.requestId);
    },
    checkDose: async () => ({ found: opts.doseFoundFromCall !== undefined && ++doseCalls >= opts.doseFoundFromCall }),
    recordFinding: async (i) => void findings.push(i.kind),
    openReadingTask: async (i) => {
      log('openReadingTask', i);
      openedAt = i.openedAt;
      return { pool: 'regional-teleradiology', openedAt: i.openedAt, ...deadlines(i.priority, i.openedAt) };
    },
    claimReadingTask: async (i) => log('claimReadingTask', i),
    releaseReadingTask: async (i) => log('releaseReadingTask', i),
    recordSla: async (i) => void sla.push(i.kind),
    signReport: async (i) => (log('signReport', i), { reportId: 'rep-1', version: 1, sopInstanceUid: '2.25.9', signedBy: i.by, signedAt: i.signedAt }),
    deliverResults: async (i) => {
      log('deliverResults', i);
      if (deliveries++ < (opts.deliveryFailures ?? 0)) throw ApplicationFailure.create({ type: 'Hl7Nack', message: 'AE: receiver busy' });
      return { destination: 'DPI_NORD' };
    },
    closePathway: async (i) => log('closePathway', i),
    // The priors workflow the pathway starts (its own rules: test/workflows/priors.workflow.e2e-spec.ts).
    findPriors: async (i) => (log('findPriors', i), { attached: 0, toFetch: [], sourceErrors: [] }),
    fetchPrior: async () => ({ completed: 0, failed: 0 }),
    awaitPriorIndexed: async () => undefined,
    markPriorFailed: async () => undefined,
    cancelExam: async (i) => {
      log('cancelExam', i);
      worklist.delete(i.requestId);
    },
  };
  const named = (name: string) => calls.filter((c) => c.name === name).map((c) => c.input);
  return { activities, calls, named, progress, worklist, findings, sla };
}
