import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './uids';

export interface FileMetaFields {
  readonly sopClassUid: string;
  readonly sopInstanceUid: string;
  readonly transferSyntaxUid: string;
  readonly sourceAeTitle?: string;
}

function element(group: number, elem: number, vr: string, value: Buffer): Buffer {
  // OB/OW/UN/SQ/UT/UC/UR carry a 4-byte length in explicit VR; the rest a 2-byte length.
  const longForm = ['OB', 'OW', 'OF', 'SQ', 'UT', 'UN', 'UC', 'UR'].includes(vr);
  const head = Buffer.alloc(longForm ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elem, 2);
  head.write(vr, 4, 'latin1');
  if (longForm) head.writeUInt32LE(value.length, 8);
  else head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}

function text(value: string, pad: string): Buffer {
  const s = value.length % 2 === 1 ? value + pad : value;
  return Buffer.from(s, 'latin1');
}

/**
 * Preamble, "DICM" and the File Meta Information group (PS3.10 7.1) for a data set received over
 * the network. Written by hand so that the data set that follows is stored byte for byte as the
 * sender encoded it; re-encoding through a DICOM library would not be "stored as received".
 */
export function buildFileMetaHeader(f: FileMetaFields): Buffer {
  const rest = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0x00, 0x01])),
    element(0x0002, 0x0002, 'UI', text(f.sopClassUid, '\0')),
    element(0x0002, 0x0003, 'UI', text(f.sopInstanceUid, '\0')),
    element(0x0002, 0x0010, 'UI', text(f.transferSyntaxUid, '\0')),
    element(0x0002, 0x0012, 'UI', text(IMPLEMENTATION_CLASS_UID, '\0')),
    element(0x0002, 0x0013, 'SH', text(IMPLEMENTATION_VERSION_NAME, ' ')),
    ...(f.sourceAeTitle ? [element(0x0002, 0x0016, 'AE', text(f.sourceAeTitle, ' '))] : []),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(rest.length, 0);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), element(0x0002, 0x0000, 'UL', groupLength), rest]);
}
