/**
 * Raw explicit VR little endian bytes for tests that need exactly the bytes a peer could send,
 * malformed ones included (a length that disagrees with the value, undefined lengths, deep
 * nesting), which the dataset writer would never produce.
 */

/** Elements whose VR takes the 12-byte header with a 32-bit length. */
const LONG_VRS = ['OB', 'OW', 'SQ', 'UN', 'UT'];

/** The undefined length (PS3.5 7.1.1). */
export const UNDEFINED_LENGTH = 0xffffffff;

/** An element: its header with `length` (the value's by default), then the value as given. */
export function el(group: number, element: number, vr: string, value: Buffer, length = value.length): Buffer {
  const long = LONG_VRS.includes(vr);
  const h = Buffer.alloc(long ? 12 : 8);
  h.writeUInt16LE(group, 0);
  h.writeUInt16LE(element, 2);
  h.write(vr, 4, 'latin1');
  if (long) h.writeUInt32LE(length >>> 0, 8);
  else h.writeUInt16LE(length, 6);
  return Buffer.concat([h, value]);
}

/** An item, item delimiter or sequence delimiter: (FFFE,element) and a 32-bit length. */
export function marker(element: number, length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(0xfffe, 0);
  b.writeUInt16LE(element, 2);
  b.writeUInt32LE(length >>> 0, 4);
  return b;
}

/** A UID value, padded to even length with NUL. */
export const uidValue = (u: string): Buffer => Buffer.from(u.length % 2 ? `${u}\0` : u, 'latin1');

/** A text value, padded to even length with a space. */
export const textValue = (t: string): Buffer => Buffer.from(t.length % 2 ? `${t} ` : t, 'latin1');
