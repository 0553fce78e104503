/**
 * Encodes a C-STORE-RSP as a complete P-DATA-TF PDU (PS3.7 9.3.3, PS3.8 9.3.5), written by hand
 * for the ingest hot path: dcmjs-dimse encodes each response command through dcmjs, which
 * allocates and zero-fills a large write buffer every time (about 1.4 ms of CPU per instance
 * here, a third of the gateway's time per object). Only the fixed, small command set of a
 * C-STORE response is encoded here; everything else still goes through dcmjs-dimse.
 */
export interface StoreResponseFields {
  readonly presentationContextId: number;
  readonly messageIdBeingRespondedTo: number;
  readonly affectedSopClassUid: string;
  readonly affectedSopInstanceUid: string;
  readonly status: number;
  /** Error Comment (0000,0902) of a failure, LO: cut to 64 characters. */
  readonly errorComment?: string;
}

function element(tag: number, value: Buffer): Buffer {
  // Command sets are always implicit VR little endian (PS3.7 6.3.1).
  const head = Buffer.alloc(8);
  head.writeUInt16LE(tag >>> 16, 0);
  head.writeUInt16LE(tag & 0xffff, 2);
  head.writeUInt32LE(value.length, 4);
  return Buffer.concat([head, value]);
}

const us = (v: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v, 0);
  return b;
};

const lo = (text: string) => {
  const v = text.slice(0, 64).replace(/\\/g, '/');
  return Buffer.from(v.length % 2 ? `${v} ` : v, 'latin1');
};

const ui = (uid: string) => Buffer.from(uid.length % 2 ? `${uid}\0` : uid, 'latin1');

export function encodeStoreResponseCommand(f: Omit<StoreResponseFields, 'presentationContextId'>): Buffer {
  const body = Buffer.concat([
    element(0x00000002, ui(f.affectedSopClassUid)),
    element(0x00000100, us(0x8001)),
    element(0x00000120, us(f.messageIdBeingRespondedTo)),
    element(0x00000800, us(0x0101)),
    element(0x00000900, us(f.status)),
    ...(f.errorComment ? [element(0x00000902, lo(f.errorComment))] : []),
    element(0x00001000, ui(f.affectedSopInstanceUid)),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(body.length, 0);
  return Buffer.concat([element(0x00000000, groupLength), body]);
}

export function encodeStoreResponsePdu(f: StoreResponseFields): Buffer {
  const command = encodeStoreResponseCommand(f);
  const pdv = Buffer.alloc(6);
  pdv.writeUInt32BE(command.length + 2, 0);
  pdv.writeUInt8(f.presentationContextId, 4);
  pdv.writeUInt8(0x03, 5); // command, last fragment
  const header = Buffer.alloc(6);
  header.writeUInt8(0x04, 0); // P-DATA-TF
  header.writeUInt32BE(pdv.length + command.length, 2);
  return Buffer.concat([header, pdv, command]);
}
