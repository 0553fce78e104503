import { ApplicationFailure } from '@temporalio/common';
import type { ArchiveService } from '@krypton/archive';
import type { ArchiveActivities } from '@krypton/workflows/archive';

/** Errors that a retry cannot cure (unknown study, archive disabled) stop the activity at once. */
async function nonRetryable<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if ((e as { nonRetryable?: boolean }).nonRetryable) throw ApplicationFailure.create({ type: (e as Error).name, message: (e as Error).message, nonRetryable: true });
    throw e;
  }
}

/** Thin: the steps and their idempotency live in ArchiveService. */
export function createArchiveActivities(archive: ArchiveService): ArchiveActivities {
  return {
    planArchive: (studyUid) =>
      nonRetryable(async () => {
        const s = await archive.status(studyUid);
        return { tier: s.tier, legalHold: s.legalHold, tierAt: s.tierAt, deleteAt: s.deleteAt };
      }),
    moveStudyToArchive: (studyUid) => nonRetryable(() => archive.moveToArchive(studyUid)),
    recallStudy: (studyUid) => nonRetryable(() => archive.recall(studyUid)),
    deleteStudyIfDue: (studyUid) => nonRetryable(() => archive.deleteIfDue(studyUid)),
  };
}
