/** The study is not in the archive lifecycle (never indexed, or the lifecycle table lacks it). */
export class ArchiveStudyNotFoundError extends Error {
  readonly nonRetryable = true;
  constructor(public readonly studyUid: string) {
    super(`study ${studyUid} is not known to the archive`);
    this.name = 'ArchiveStudyNotFoundError';
  }
}

/** A hold cannot be set on (or cleared from) a study already deleted. */
export class ArchiveStudyDeletedError extends Error {
  readonly nonRetryable = true;
  constructor(public readonly studyUid: string) {
    super(`study ${studyUid} has been deleted at the end of its retention`);
    this.name = 'ArchiveStudyDeletedError';
  }
}

/** The archive lifecycle is switched off (`archive.enabled`), so there is no second tier to use. */
export class ArchiveDisabledError extends Error {
  readonly nonRetryable = true;
  constructor() {
    super('the archive lifecycle is not enabled (archive.enabled)');
    this.name = 'ArchiveDisabledError';
  }
}
