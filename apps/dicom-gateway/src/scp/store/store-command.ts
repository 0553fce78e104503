import { readCommandSet } from '@krypton/dicom-network';

/** A C-STORE-RQ's command set, the fields the hub acts on (PS3.7 9.3.1.1). */
export interface StoreCommand {
  readonly messageId: number;
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  /** False for a command that says no data set follows (0x0101): not a store the hub can take. */
  readonly hasDataset: boolean;
}

const C_STORE_RQ = 0x0001;
const NO_DATASET = 0x0101;

/**
 * The C-STORE-RQ fields of a command set (read by the network lib's command-set reader), or null
 * for any other command, or one the reader does not know, which then goes to dcmjs-dimse as
 * before. On the ingest hot path this replaces dcmjs-dimse's handling of each C-STORE command:
 * a parse through dcmjs and a log line formatted even when logging is off, per instance.
 */
export function readStoreCommand(cmd: Buffer): StoreCommand | null {
  const c = readCommandSet(cmd);
  if (!c || c.CommandField !== C_STORE_RQ || typeof c.MessageID !== 'number' || typeof c.CommandDataSetType !== 'number') return null;
  return {
    messageId: c.MessageID,
    sopClassUid: String(c.AffectedSOPClassUID ?? ''),
    sopInstanceUid: String(c.AffectedSOPInstanceUID ?? ''),
    hasDataset: c.CommandDataSetType !== NO_DATASET,
  };
}
