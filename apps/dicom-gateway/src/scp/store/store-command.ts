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

/** Command sets are implicit VR little endian (PS3.7 6.3.1); UIDs lose their NUL or space padding. */
const text = (buf: Buffer, start: number, len: number) => buf.toString('latin1', start, start + len).replace(/[\0 ]+$/, '');

/**
 * Reads a command set and returns its C-STORE-RQ fields, or null for any other command (or one
 * that does not hold together), which then goes to dcmjs-dimse as before. Written by hand for
 * the ingest hot path: dcmjs-dimse parses every command set through dcmjs and formats it for a
 * log line even when logging is off, per instance.
 */
export function readStoreCommand(cmd: Buffer): StoreCommand | null {
  let pos = 0;
  let field = -1;
  let messageId = -1;
  let sopClassUid = '';
  let sopInstanceUid = '';
  let dataSetType = -1;
  while (pos + 8 <= cmd.length) {
    const tag = ((cmd.readUInt16LE(pos) << 16) | cmd.readUInt16LE(pos + 2)) >>> 0;
    const len = cmd.readUInt32LE(pos + 4);
    pos += 8;
    if (pos + len > cmd.length) return null;
    if (tag === 0x00000100 && len === 2) field = cmd.readUInt16LE(pos);
    else if (tag === 0x00000110 && len === 2) messageId = cmd.readUInt16LE(pos);
    else if (tag === 0x00000800 && len === 2) dataSetType = cmd.readUInt16LE(pos);
    else if (tag === 0x00000002) sopClassUid = text(cmd, pos, len);
    else if (tag === 0x00001000) sopInstanceUid = text(cmd, pos, len);
    pos += len;
  }
  if (pos !== cmd.length || field !== C_STORE_RQ || messageId < 0 || dataSetType < 0) return null;
  return { messageId, sopClassUid, sopInstanceUid, hasDataset: dataSetType !== NO_DATASET };
}
