import type { EquivalentExam } from './equivalent-exams';
import type { NewRequest, RequestPatient, RequestPriority, RequestReferrer, RequestSource } from './new-request';
import type { PathwayState } from './pathway-state';

/** A request as the API, the HL7 gateway and coordinators see it (the PostgreSQL mirror). */
export interface RequestView {
  readonly id: string;
  readonly source: RequestSource;
  readonly placerSystem: string | null;
  readonly placerOrderNumber: string | null;
  readonly state: PathwayState;
  readonly patient: RequestPatient;
  readonly referrer: RequestReferrer;
  readonly procedure: {
    readonly code: string;
    readonly label: string | null;
    readonly modality: string | null;
    readonly bodyPart: string | null;
    /** The code is not in the catalogue: a coordinator must map it. */
    readonly unmapped: boolean;
  };
  readonly priority: RequestPriority;
  readonly clinicalInformation: string | null;
  readonly targetSite: string | null;
  readonly accessionNumber: string | null;
  readonly studyInstanceUid: string | null;
  readonly scheduled: { readonly site: string; readonly aeTitle: string; readonly at: string } | null;
  /** Why a coordinator must act now (to-schedule, mpps-discontinued, mpps-without-images, results-undeliverable), or null. */
  readonly attention: string | null;
  /** The study matched to the exam (the pre-assigned UID, or the one a coordinator attached). */
  readonly acquiredStudyUid: string | null;
  readonly reading: { readonly pool: string; readonly dueAt: string | null; readonly slaBreached: boolean } | null;
  readonly closedAt: string | null;
  readonly workflowId: string;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What `RequestService.create` answers: the request, and whether this call created it. */
/** What a door answers for a new request: the request, and recent equivalent exams for the referrer to reconsider. */
export type CreatedRequest = RequestView & { readonly created: boolean; readonly recentEquivalentExams: readonly EquivalentExam[] };

/** A referrer's window on the requests: those they created, or that name them by RPPS. */
export interface RequestFilter {
  /** The caller's scope from libs/access: a condition over exam_request columns with bare `$` placeholders; 'none' matches nothing. */
  readonly access?: { readonly sql: string; readonly params: readonly unknown[] } | 'none';
  readonly accessionNumber?: string;
  readonly placerOrderNumber?: string;
  readonly state?: PathwayState;
  /** Scheduled site, or the target site while not scheduled. */
  readonly site?: string;
  readonly priority?: RequestPriority;
  readonly slaBreached?: boolean;
  /** Waiting on a coordinator: an `attention` reason, or a procedure code to map. */
  readonly waitingOnOperator?: boolean;
  readonly readingPool?: string;
  /**
   * A patient: by INS, by `issuer|value` (one issuer's identifier), or by a bare identifier value
   * (every issuer's: a search lists candidates, each shown with its issuer; nothing is decided on it).
   */
  readonly patient?: { readonly ins?: string; readonly localId?: string; readonly value?: string };
  readonly limit?: number;
  readonly offset?: number;
}

export interface PathwayEventView {
  readonly step: string;
  readonly state: PathwayState;
  readonly at: string;
  readonly actor: string | null;
  readonly detail: unknown;
}

export type { NewRequest };
