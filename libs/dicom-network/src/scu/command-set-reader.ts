import * as dimse from 'dcmjs-dimse';

/** The command elements (PS3.7 E.1) of C-STORE, C-FIND, C-MOVE, C-GET and N-ACTION exchanges, with their VR and dcmjs keyword. */
export const COMMAND_ELEMENTS: Readonly<Record<number, readonly [string, 'UL' | 'US' | 'UI' | 'AE' | 'LO']>> = {
  0x00000000: ['CommandGroupLength', 'UL'],
  0x00000002: ['AffectedSOPClassUID', 'UI'],
  0x00000003: ['RequestedSOPClassUID', 'UI'],
  0x00000100: ['CommandField', 'US'],
  0x00000110: ['MessageID', 'US'],
  0x00000120: ['MessageIDBeingRespondedTo', 'US'],
  0x00000600: ['MoveDestination', 'AE'],
  0x00000700: ['Priority', 'US'],
  0x00000800: ['CommandDataSetType', 'US'],
  0x00000900: ['Status', 'US'],
  0x00000902: ['ErrorComment', 'LO'],
  0x00000903: ['ErrorID', 'US'],
  0x00001000: ['AffectedSOPInstanceUID', 'UI'],
  0x00001001: ['RequestedSOPInstanceUID', 'UI'],
  0x00001002: ['EventTypeID', 'US'],
  0x00001008: ['ActionTypeID', 'US'],
  0x00001020: ['NumberOfRemainingSuboperations', 'US'],
  0x00001021: ['NumberOfCompletedSuboperations', 'US'],
  0x00001022: ['NumberOfFailedSuboperations', 'US'],
  0x00001023: ['NumberOfWarningSuboperations', 'US'],
  0x00001030: ['MoveOriginatorApplicationEntityTitle', 'AE'],
  0x00001031: ['MoveOriginatorMessageID', 'US'],
};

/**
 * Reads a command set (implicit VR little endian, group 0000) into dcmjs's naturalized shape, or
 * null when it holds anything this table does not know (then dcmjs reads it). dcmjs-dimse reads
 * every command through dcmjs's generic reader, which cost several milliseconds per C-STORE
 * response here — more than sending the instance.
 */
export function readCommandSet(buf: Buffer): Record<string, unknown> | null {
  // dcmjs's naturalized data sets carry the VRs it had to guess; none here.
  const out: Record<string, unknown> = { _vrMap: {} };
  let o = 0;
  while (o < buf.length) {
    if (o + 8 > buf.length) return null;
    const tag = ((buf.readUInt16LE(o) << 16) | buf.readUInt16LE(o + 2)) >>> 0;
    const len = buf.readUInt32LE(o + 4);
    const known = COMMAND_ELEMENTS[tag];
    if (!known || o + 8 + len > buf.length) return null;
    const [keyword, vr] = known;
    const v = buf.subarray(o + 8, o + 8 + len);
    if (vr === 'UL') {
      if (len !== 4) return null;
      out[keyword] = v.readUInt32LE(0);
    } else if (vr === 'US') {
      if (len !== 2) return null;
      out[keyword] = v.readUInt16LE(0);
    } else {
      const text = v.toString('latin1').replace(/[\0 ]+$/, '');
      out[keyword] = vr === 'UI' ? text : text.replace(/^ +/, '');
    }
    o += 8 + len;
  }
  return out;
}

let installed = false;

/** Routes dcmjs-dimse's reading of implicit-VR command sets through readCommandSet. */
export function installFastCommandReader(): void {
  if (installed) return;
  installed = true;
  const proto = (dimse.Dataset as any).prototype;
  const original = proto._fromElementsBuffer;
  proto._fromElementsBuffer = function (buffer: Buffer, transferSyntaxUid: string, readOptions: unknown) {
    if (transferSyntaxUid === '1.2.840.10008.1.2' && buffer.length >= 8 && buffer.readUInt16LE(0) === 0) {
      const fast = readCommandSet(buffer);
      if (fast) return fast;
    }
    return original.call(this, buffer, transferSyntaxUid, readOptions);
  };
}
