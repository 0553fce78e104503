import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from '@krypton/dicom-codec';

import { PduType } from '../pdu/pdu-framer';

const APPLICATION_CONTEXT = '1.2.840.10008.3.1.1.1';

export interface ProposedContext {
  /** Odd, 1-255. */
  readonly id: number;
  readonly abstractSyntax: string;
  readonly transferSyntaxes: readonly string[];
}

export interface AcceptedAssociation {
  /** Presentation context id → the transfer syntax accepted (contexts refused are absent). */
  readonly accepted: ReadonlyMap<number, string>;
  /** The largest P-DATA-TF PDU the peer takes; 0 when it sets no limit. */
  readonly maxPduLength: number;
}

const item = (type: number, body: Buffer): Buffer => {
  const h = Buffer.alloc(4);
  h[0] = type;
  h.writeUInt16BE(body.length, 2);
  return Buffer.concat([h, body]);
};

const uid = (type: number, value: string) => item(type, Buffer.from(value, 'latin1'));

const ae = (title: string) => Buffer.from(title.padEnd(16, ' ').slice(0, 16), 'latin1');

/** A-ASSOCIATE-RQ (PS3.8 9.3.2) for a storage SCU: its contexts, our max PDU, our implementation identity. */
export function associateRequest(callingAe: string, calledAe: string, contexts: readonly ProposedContext[], maxPduLength: number): Buffer {
  const fixed = Buffer.alloc(68);
  fixed.writeUInt16BE(1, 0); // protocol version
  ae(calledAe).copy(fixed, 4);
  ae(callingAe).copy(fixed, 20);
  const maxLength = Buffer.alloc(4);
  maxLength.writeUInt32BE(maxPduLength, 0);
  const variable = [
    uid(0x10, APPLICATION_CONTEXT),
    ...contexts.map((c) => item(0x20, Buffer.concat([Buffer.from([c.id, 0, 0, 0]), uid(0x30, c.abstractSyntax), ...c.transferSyntaxes.map((ts) => uid(0x40, ts))]))),
    item(0x50, Buffer.concat([item(0x51, maxLength), uid(0x52, IMPLEMENTATION_CLASS_UID), uid(0x55, IMPLEMENTATION_VERSION_NAME)])),
  ];
  return pdu(PduType.AssociateRq, Buffer.concat([fixed, ...variable]));
}

/** A PDU: type, reserved byte, 32-bit length, body. */
export function pdu(type: number, body: Buffer): Buffer {
  const h = Buffer.alloc(6);
  h[0] = type;
  h.writeUInt32BE(body.length, 2);
  return Buffer.concat([h, body]);
}

export const releaseRequest = () => pdu(PduType.ReleaseRq, Buffer.alloc(4));
export const abortRequest = () => pdu(PduType.Abort, Buffer.alloc(4));

/** The contexts accepted and the peer's max PDU from an A-ASSOCIATE-AC body (after the 6-byte PDU header). */
export function parseAssociateAccept(body: Buffer): AcceptedAssociation {
  const accepted = new Map<number, string>();
  let maxPduLength = 0;
  for (let o = 68; o + 4 <= body.length;) {
    const type = body[o];
    const len = body.readUInt16BE(o + 2);
    const v = body.subarray(o + 4, o + 4 + len);
    if (type === 0x21 && v.length >= 4 && v[2] === 0) {
      // Result 0 (acceptance): the one transfer syntax sub-item says which.
      for (let s = 4; s + 4 <= v.length;) {
        const sl = v.readUInt16BE(s + 2);
        if (v[s] === 0x40) accepted.set(v[0], v.toString('latin1', s + 4, s + 4 + sl).replace(/[\0 ]+$/, ''));
        s += 4 + sl;
      }
    } else if (type === 0x50) {
      for (let s = 0; s + 4 <= v.length;) {
        const sl = v.readUInt16BE(s + 2);
        if (v[s] === 0x51 && sl === 4) maxPduLength = v.readUInt32BE(s + 4);
        s += 4 + sl;
      }
    }
    o += 4 + len;
  }
  return { accepted, maxPduLength };
}
