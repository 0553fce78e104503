/** What a Storage Commitment N-EVENT-REPORT says (PS3.4 J.3.3): event type 1 all committed, 2 some failed. */
export interface CommitmentReport {
  readonly transactionUid: string;
  readonly committed: string[];
  readonly failed: { sopInstanceUid: string; reason: number | null }[];
}

/** Thrown for a report without a Transaction UID: nothing to file it under. */
export class CommitmentReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommitmentReportError';
  }
}

const uid = (v: unknown) =>
  String(v ?? '')
    .replace(/\0/g, '')
    .trim();
const items = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v : v && typeof v === 'object' ? [v as Record<string, unknown>] : []);

/** Reads the naturalized data set of an N-EVENT-REPORT. */
export function parseCommitmentReport(ds: Record<string, unknown>): CommitmentReport {
  const transactionUid = uid(ds.TransactionUID);
  if (!transactionUid) throw new CommitmentReportError('the report has no Transaction UID');
  return {
    transactionUid,
    committed: items(ds.ReferencedSOPSequence)
      .map((i) => uid(i.ReferencedSOPInstanceUID))
      .filter(Boolean),
    failed: items(ds.FailedSOPSequence)
      .map((i) => ({ sopInstanceUid: uid(i.ReferencedSOPInstanceUID), reason: typeof i.FailureReason === 'number' ? i.FailureReason : i.FailureReason ? Number(i.FailureReason) : null }))
      .filter((f) => f.sopInstanceUid),
  };
}
