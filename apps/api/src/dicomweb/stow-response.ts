import { InflateLimitError, InvalidDicomError, MissingAttributeError } from '@krypton/dicom-codec';
import { DimseStatus, STOW_TRANSFER_SYNTAX_NOT_SUPPORTED } from '@krypton/dicom-network';
import { DatasetMismatchError, IndexBacklogFullError } from '@krypton/ingest';
import { StorageFullError } from '@krypton/storage';
import type { DicomJsonDataset } from './dicom-json';
import type { DicomwebUrls } from './dicomweb-urls';

/** What became of one part of a STOW-RS request. */
export type PartOutcome =
  | {
      readonly ok: true;
      readonly studyUid: string;
      readonly seriesUid: string;
      readonly sopClassUid: string;
      readonly sopInstanceUid: string;
    }
  | {
      readonly ok: false;
      /** Failure Reason (0008,1197), from the C-STORE status codes as PS3.18 10.5.3 prescribes. */
      readonly reason: number;
      readonly message: string;
      readonly sopClassUid?: string;
      readonly sopInstanceUid?: string;
    };

/** The part names a study other than the one in the request path (PS3.18 10.5.1). */
export class StudyMismatchError extends Error {
  constructor(
    public readonly expected: string,
    public readonly actual: string,
  ) {
    super(`StudyInstanceUID ${actual} does not match the study of the request (${expected})`);
    this.name = 'StudyMismatchError';
  }
}

/** The part is not application/dicom (this server does not take DICOM JSON or XML with bulk data). */
export class UnsupportedPartError extends Error {
  constructor(public readonly contentType: string) {
    super(`part type ${contentType} is not supported; send application/dicom`);
    this.name = 'UnsupportedPartError';
  }
}

/** The part's transfer syntax is not one this hub's STOW-RS stores (`ingest.stowTransferSyntaxes`). */
export class UnsupportedTransferSyntaxError extends Error {
  constructor(public readonly transferSyntaxUid: string) {
    super(`transfer syntax ${transferSyntaxUid} is not stored here; send the object in another one`);
    this.name = 'UnsupportedTransferSyntaxError';
  }
}

/** A part of a study that exists (or is requested) and that the uploader may not write: another site's exam. */
export class StudyNotWritableError extends Error {
  constructor(
    public readonly studyUid: string,
    public readonly reason: string,
  ) {
    super(`study ${studyUid} is an existing exam the uploader may not write (${reason})`);
    this.name = 'StudyNotWritableError';
  }
}

/** Maps an ingest failure to its Failure Reason; anything unforeseen is a processing failure. */
export function failureReason(e: unknown): number {
  if (e instanceof StudyNotWritableError) return DimseStatus.NotAuthorized;
  if (e instanceof UnsupportedTransferSyntaxError) return STOW_TRANSFER_SYNTAX_NOT_SUPPORTED;
  if (e instanceof InvalidDicomError || e instanceof MissingAttributeError || e instanceof UnsupportedPartError) return DimseStatus.CannotUnderstand;
  if (e instanceof DatasetMismatchError || e instanceof StudyMismatchError) return DimseStatus.DataSetDoesNotMatchSopClass;
  if (e instanceof StorageFullError || e instanceof IndexBacklogFullError || e instanceof InflateLimitError) return DimseStatus.OutOfResources;
  return DimseStatus.ProcessingFailure;
}

export interface StowResponse {
  readonly status: 200 | 202 | 409;
  readonly body: DicomJsonDataset;
  readonly warnings: readonly string[];
}

const ui = (v: string | undefined) => (v ? { vr: 'UI', Value: [v] } : { vr: 'UI' });

/**
 * The Store Instances Response Module (PS3.18 10.5.3): 200 when every instance was stored, 202 when
 * some failed, 409 when none was stored. `studyUid` is the study of the request path, if any.
 */
export function stowResponse(outcomes: readonly PartOutcome[], urls: DicomwebUrls, studyUid?: string): StowResponse {
  const stored = outcomes.filter((o): o is Extract<PartOutcome, { ok: true }> => o.ok);
  const failed = outcomes.filter((o): o is Extract<PartOutcome, { ok: false }> => !o.ok);
  const body: DicomJsonDataset = {};
  const studies = new Set(stored.map((s) => s.studyUid));
  const study = studyUid ?? (studies.size === 1 ? [...studies][0] : undefined);
  if (study && stored.length) body['00081190'] = { vr: 'UR', Value: [urls.study(study)] };
  if (failed.length) {
    body['00081198'] = {
      vr: 'SQ',
      Value: failed.map((f) => ({ '00081150': ui(f.sopClassUid), '00081155': ui(f.sopInstanceUid), '00081197': { vr: 'US', Value: [f.reason] } })),
    };
  }
  if (stored.length) {
    body['00081199'] = {
      vr: 'SQ',
      Value: stored.map((s) => ({
        '00081150': ui(s.sopClassUid),
        '00081155': ui(s.sopInstanceUid),
        '00081190': { vr: 'UR', Value: [urls.instance(s.studyUid, s.seriesUid, s.sopInstanceUid)] },
      })),
    };
  }
  const warnings = failed.map((f) => `${f.sopInstanceUid ?? 'a part'}: ${f.message} (0x${f.reason.toString(16).toUpperCase()})`);
  const status = failed.length === 0 ? 200 : stored.length ? 202 : 409;
  return { status, body, warnings };
}
