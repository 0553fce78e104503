import type { CatalogService, InstanceLocation } from '@krypton/catalog';
import type { ObjectStore } from '@krypton/storage';
import { DimseStatus, StoreFile } from '@krypton/dicom-network';
import { ParsedIdentifier } from '../find/identifier';
import { decideRetrievePatient, retrievePatientSelector, RetrievePatientOptions } from './retrieve-patient';
import * as dimse from 'dcmjs-dimse';

const { Dataset } = dimse;

const split = (v: string | undefined) =>
  v
    ? v
        .split('\\')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;

export class EmptyRetrieveKeysError extends Error {
  constructor() {
    super('C-MOVE/C-GET identifier names no patient, study, series or instance');
    this.name = 'EmptyRetrieveKeysError';
  }
}

/**
 * Instances a C-MOVE or C-GET identifier designates (unique keys at and above its level). A
 * Patient ID goes through the hub's patient-matching rule and is decided on first
 * (decideRetrievePatient): the instances located are those of the patient records decided, so
 * nothing of another patient can be sent, and nothing at all while the match is ambiguous.
 */
export async function locateForRetrieve(catalog: CatalogService, id: ParsedIdentifier, opts: RetrievePatientOptions = {}): Promise<InstanceLocation[]> {
  const uids = {
    studyUids: split(id.keys.StudyInstanceUID),
    seriesUids: id.level === 'SERIES' || id.level === 'IMAGE' ? split(id.keys.SeriesInstanceUID) : undefined,
    sopInstanceUids: id.level === 'IMAGE' ? split(id.keys.SOPInstanceUID) : undefined,
  };
  const patient = retrievePatientSelector(id);
  if (!patient && !uids.studyUids && !uids.seriesUids && !uids.sopInstanceUids) throw new EmptyRetrieveKeysError();
  if (!patient) return catalog.locate(uids);
  const records = await decideRetrievePatient(catalog, patient, uids, opts);
  if (records.length === 0) return [];
  return catalog.locate({ ...uids, patientRowIds: records.map((r) => r.id) });
}

/** With the class and syntax from the catalogue, C-MOVE and C-GET send each file as stored (no dcmjs parse and re-encode). */
export async function toStoreFiles(store: ObjectStore, locations: readonly InstanceLocation[]): Promise<StoreFile[]> {
  return Promise.all(
    locations.map(async (l) => ({ sopInstanceUid: l.sopInstanceUid, sopClassUid: l.sopClassUid, transferSyntaxUid: l.transferSyntaxUid, size: l.fileSize, path: await store.localPath(l.storageKey) })),
  );
}

interface SubOperationResponse {
  setStatus(s: number): void;
  setRemaining(n: number): void;
  setCompleted(n: number): void;
  setFailures(n: number): void;
  setWarnings(n: number): void;
  setDataset(ds: unknown): void;
}

/**
 * At most one pending C-MOVE/C-GET response per this interval: a pending after every
 * sub-operation cost the gateway as much CPU as a third of the instance it reported (the SCU
 * needs progress and a sign of life, not one message per instance; PS3.4 C.4.2.3.1 leaves them
 * to the SCP).
 */
export const PENDING_INTERVAL_MS = 100;

/** Sub-operation counters of C-MOVE / C-GET responses. */
export class SubOperations {
  completed = 0;
  failed = 0;
  warning = 0;
  readonly failedUids: string[] = [];
  private lastPending = 0;

  constructor(public readonly total: number) {}

  get remaining(): number {
    return this.total - this.completed - this.failed - this.warning;
  }

  /** Whether a pending response is due now (sub-operations remain, and none was sent in the last PENDING_INTERVAL_MS). */
  pendingDue(now = Date.now()): boolean {
    if (this.remaining === 0 || now - this.lastPending < PENDING_INTERVAL_MS) return false;
    this.lastPending = now;
    return true;
  }

  record(sopInstanceUid: string, status: number | null): void {
    if (status === 0) this.completed++;
    else if (status !== null && (status & 0xf000) === 0xb000) this.warning++;
    else {
      this.failed++;
      this.failedUids.push(sopInstanceUid);
    }
  }

  apply(res: SubOperationResponse, final: boolean): void {
    if (!final) res.setRemaining(this.remaining);
    res.setCompleted(this.completed);
    res.setFailures(this.failed);
    res.setWarnings(this.warning);
  }

  /** Final status: success, or "completed with failures" (0xB000) when any sub-operation failed. */
  get finalStatus(): number {
    return this.failed > 0 || this.warning > 0 ? 0xb000 : 0x0000;
  }

  /** Fills a C-MOVE/C-GET response: pending with the remaining count, or final with the failed UIDs. */
  fill<R extends SubOperationResponse>(res: R, final: boolean): R {
    res.setStatus(final ? this.finalStatus : DimseStatus.Pending);
    this.apply(res, final);
    if (final && this.failedUids.length) res.setDataset(new Dataset({ FailedSOPInstanceUIDList: this.failedUids }));
    return res;
  }
}
