import type { Logger } from 'pino';
import type { KryptonConfig } from '@krypton/config';
import type { CatalogService } from '@krypton/catalog';
import type { StorageCommitmentStore } from '@krypton/routing';
import type { IngestService } from '@krypton/ingest';
import type { ObjectStore } from '@krypton/storage';
import type { MppsStore, WorklistStore } from '@krypton/pathway';
import type { DimseAccess } from './dimse-access';

/** What the per-association SCP needs; dcmjs-dimse builds the SCP itself, so these are captured, not injected. */
export interface ScpDeps {
  readonly cfg: KryptonConfig;
  readonly catalog: CatalogService;
  readonly ingest: IngestService;
  readonly store: ObjectStore;
  readonly worklist: WorklistStore;
  readonly mpps: MppsStore;
  /** Files the N-EVENT-REPORTs of storage commitment for the routings that asked. */
  readonly commitments: StorageCommitmentStore;
  /** The access decision and audit for this door. */
  readonly access: DimseAccess;
  readonly log: Logger;
}
