export interface StudyLifecycleInput {
  readonly studyUid: string;
  /** Carried across continue-as-new. */
  readonly stableCount?: number;
}

export interface StudyStableEvent {
  /** ISO time the stability was detected (by the ingest queue, not the workflow clock). */
  readonly at: string;
}

export interface StudyLifecycleStatus {
  readonly studyUid: string;
  readonly stableCount: number;
  readonly lastStableAt: string | null;
}
