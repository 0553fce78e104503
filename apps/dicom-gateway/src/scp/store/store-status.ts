import { InflateLimitError, InvalidDicomError, MissingAttributeError } from '@krypton/dicom-codec';
import { DimseStatus } from '@krypton/dicom-network';
import { DatasetMismatchError, IndexBacklogFullError } from '@krypton/ingest';
import { StorageFullError } from '@krypton/storage';
import { DimseAccessDeniedError, DimseAccessUndecidedError } from '../association/dimse-access';

/** Maps an ingest failure to the C-STORE status the sender should see (PS3.4 B.2.3). */
export function storeFailureStatus(err: unknown): number {
  if (err instanceof InvalidDicomError) return DimseStatus.CannotUnderstand;
  // Refused: Not Authorized (PS3.7 C.4.2), the status STOW-RS gives the same refusal.
  if (err instanceof DimseAccessDeniedError) return DimseStatus.NotAuthorized;
  if (err instanceof MissingAttributeError || err instanceof DatasetMismatchError) return DimseStatus.DataSetDoesNotMatchSopClass;
  // Transient: the sender keeps its copy and sends it again (a decision that could not be made is one).
  if (err instanceof StorageFullError || err instanceof IndexBacklogFullError || err instanceof InflateLimitError || err instanceof DimseAccessUndecidedError) return DimseStatus.OutOfResources;
  return DimseStatus.ProcessingFailure;
}
