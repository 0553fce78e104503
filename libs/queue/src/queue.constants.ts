import type { StoredInstance } from '@krypton/catalog';

export const INDEX_QUEUE = 'krypton-index';
/** `<prefix><host>:<pid>` holds the number of objects a process stored and has not seen indexed (TTL 15 s). */
export const INGEST_BACKLOG_KEY_PREFIX = 'krypton:ingest-backlog:';
/** Dose-bearing instances (RDSRs, images with dose attributes) to file in the dose registry. */
export const DOSE_QUEUE = 'krypton-dose';
/**
 * Acquisition events for the pathway: MPPS received by the DICOM gateway (stable studies are
 * matched by the worker's StageRedriveService directly, from the catalogue).
 * The worker matches them to a request (accession number or Study Instance UID) and signals its
 * pathway, or records them as unmatched for a coordinator.
 */
export const ACQUISITION_QUEUE = 'krypton-acquisition';

/** E-mail notifications of new shares (issue #11): the share row is committed before the job is added; the job id is the share's. */
export const SHARE_NOTIFY_QUEUE = 'krypton-share-notify';

export interface ShareNotifyJobData {
  readonly shareId: string;
  /** Backoff of the `share-notify` type: doubling from initialMs, capped at maxMs (absent in jobs queued before it). */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

/** One acquisition event; the row it names is committed in PostgreSQL before the job is added. */
export type AcquisitionJobData = { readonly kind: 'mpps'; readonly sopInstanceUid: string } | { readonly kind: 'study-stable'; readonly studyUid: string };

/** One received instance to file in the catalogue. */
export interface IndexItem {
  readonly rec: StoredInstance;
  /** The stored object replaced an earlier copy (duplicate policy "replace"). */
  readonly replace: boolean;
}

/**
 * Received instances to file, grouped by the ingesting process: a job per instance would cost a
 * Redis script and a worker round trip each, more than the indexing itself under a burst.
 */
export interface IndexJobData {
  readonly items: readonly IndexItem[];
}
