/** DIMSE status codes the hub answers with (PS3.4, PS3.7 Annex C). */
export const DimseStatus = {
  Success: 0x0000,
  Pending: 0xff00,
  PendingWarning: 0xff01,
  Cancel: 0xfe00,
  WarningCoercion: 0xb000,
  SubOperationsWarning: 0xb000,
  OutOfResources: 0xa700,
  OutOfResourcesMatches: 0xa701,
  OutOfResourcesSubOperations: 0xa702,
  MoveDestinationUnknown: 0xa801,
  DataSetDoesNotMatchSopClass: 0xa900,
  CannotUnderstand: 0xc000,
  IdentifierDoesNotMatchSopClass: 0xa900,
  UnableToProcess: 0xc001,
  SopClassNotSupported: 0x0122,
  ProcessingFailure: 0x0110,
  /** PS3.7 C.4: Refused, not authorized (STOW-RS into an exam the uploader may not write). */
  NotAuthorized: 0x0124,
  // N-CREATE / N-SET (PS3.7 Annex C, PS3.4 F.7.2).
  InvalidAttributeValue: 0x0106,
  DuplicateSopInstance: 0x0111,
  NoSuchObjectInstance: 0x0112,
  InvalidObjectInstance: 0x0117,
  MissingAttribute: 0x0120,
} as const;

export function isPending(status: number): boolean {
  return status === DimseStatus.Pending || status === DimseStatus.PendingWarning;
}

/**
 * Whether a C-STORE failure from a destination is worth retrying. Out-of-resources (0xA7xx) and
 * processing failures may pass; "cannot understand", "does not match SOP class" and
 * "SOP class not supported" will fail the same way every time.
 */
export function isPermanentStoreFailure(status: number): boolean {
  if (status === 0x0000 || (status & 0xf000) === 0xb000) return false;
  if ((status & 0xff00) === 0xa700) return false;
  if (status === 0x0110 || status === 0x0213) return false;
  return true;
}
