/** A coordinator tied an unmatched study to an exam: by attaching it, or by registering it as an unscheduled exam. */
export interface StudyAttached {
  readonly studyUid: string;
  readonly requestId: string;
}

/**
 * Told of every study a coordinator ties to an exam after its arrival (AcquisitionService). The
 * pathway does not know who listens: libs/routing carries out a protocol's fetchPriors that was
 * decided while the study had no exam yet, so pathway never imports the lib that sits above it.
 */
export interface StudyAttachedListener {
  studyAttached(attached: StudyAttached): Promise<void>;
}
