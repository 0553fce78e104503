/** An access grant: sharing (issue #11 extends it), the pathway's report release, break-the-glass. */
export interface AccessGrant {
  /** `user:<id>`, `rpps:<number>`, `ins:<INS>`, `site:<id>`, `link:<id>`, … */
  readonly grantee: string;
  /** `exam` (the pathway's release), `emergency`, `share`, `link`, … */
  readonly kind: string;
  readonly reason: string;
  /** Null: until revoked. */
  readonly expiresAt: Date | null;
  /** What a share allows (`view`, `download`); null: whatever the holder's role may do. */
  readonly rights?: GrantRights | null;
}

export const GRANT_RIGHTS = ['view', 'download'] as const;
export type GrantRights = (typeof GRANT_RIGHTS)[number];

/** Grant kinds that a patient's opposition to sharing silences (see the study_grant view). */
export const SHARING_GRANT_KINDS = ['share', 'link'] as const;

/**
 * What the decision knows about one exam (a study, the request that asked for it, its report):
 * everything is read in one query by ExamFactsStore, nothing is looked up during the decision.
 */
export interface ExamFacts {
  readonly studyUid: string | null;
  readonly requestIds: readonly string[];
  /** The patient's INS when known; null otherwise. */
  readonly patientIns: string | null;
  /** `issuer|patientId` of the catalogue, or of the request. */
  readonly patientKey: string | null;
  /** Origin sites: the source AE's site, the uploader's site (STOW), the request's target/scheduled site. */
  readonly sites: readonly string[];
  /** Reading pools holding an open or claimed task for this exam. */
  readonly taskPools: readonly string[];
  /** Reading pools holding an open or claimed task for another exam of the same patient (this exam is a prior). */
  readonly priorPools: readonly string[];
  /** Users who claimed or signed a reading task of this exam. */
  readonly readers: readonly string[];
  /** Referrer RPPS numbers of the exam's requests. */
  readonly requesterRpps: readonly string[];
  /** Users who submitted the exam's requests. */
  readonly creators: readonly string[];
  readonly grants: readonly AccessGrant[];
}

export const NO_FACTS: ExamFacts = {
  studyUid: null,
  requestIds: [],
  patientIns: null,
  patientKey: null,
  sites: [],
  taskPools: [],
  priorPools: [],
  readers: [],
  requesterRpps: [],
  creators: [],
  grants: [],
};

/** The facts of a patient's dose history. */
export interface DosePatientFacts {
  readonly patientIns: string | null;
  readonly patientKey: string;
  /** Sites of the patient's dose records. */
  readonly sites: readonly string[];
  /** Study UIDs of the patient's dose records (for the `exams` dose scope). */
  readonly studyUids: readonly string[];
}
