import { InvalidDicomError } from './dicom-errors';
import { TS } from './uids';

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const UNDEFINED = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_END = 0xfffee00d;
const SEQ_END = 0xfffee0dd;

class Cursor {
  constructor(readonly buf: Buffer, public pos: number, readonly explicit: boolean, readonly little: boolean) {}

  need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) {
      throw new InvalidDicomError(`data set truncated: ${what} needs ${n} bytes at offset ${this.pos}, ${this.buf.length - this.pos} remain`);
    }
  }
  u16(): number {
    const v = this.little ? this.buf.readUInt16LE(this.pos) : this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.little ? this.buf.readUInt32LE(this.pos) : this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  tag(): number {
    this.need(4, 'a tag');
    const g = this.u16();
    const e = this.u16();
    return ((g << 16) | e) >>> 0;
  }
}

const hex = (tag: number) => `(${(tag >>> 16).toString(16).padStart(4, '0')},${(tag & 0xffff).toString(16).padStart(4, '0')})`;

/** Skips the items of an undefined-length sequence (or encapsulated pixel data) up to its delimiter. */
function skipUndefinedSequence(c: Cursor, owner: number): void {
  for (;;) {
    const tag = c.tag();
    c.need(4, `an item length in ${hex(owner)}`);
    const len = c.u32();
    if (tag === SEQ_END) return;
    if (tag !== ITEM) throw new InvalidDicomError(`malformed sequence ${hex(owner)}: ${hex(tag)} where an item was expected`);
    if (len === UNDEFINED) skipElements(c, true);
    else {
      c.need(len, `item of ${hex(owner)}`);
      c.pos += len;
    }
  }
}

/** Walks elements to the end of the buffer, or to an item delimiter when `inItem`. */
function skipElements(c: Cursor, inItem: boolean): void {
  while (inItem || c.pos < c.buf.length) {
    const tag = c.tag();
    if (tag === ITEM_END) {
      c.need(4, 'an item delimiter length');
      c.pos += 4;
      return;
    }
    let len: number;
    // Items and delimiters are always implicit (PS3.5 7.5), whatever the transfer syntax.
    if (c.explicit && tag >>> 16 !== 0xfffe) {
      c.need(2, `the VR of ${hex(tag)}`);
      const vr = c.buf.toString('latin1', c.pos, c.pos + 2);
      c.pos += 2;
      if (LONG_VRS.has(vr)) {
        c.need(6, `the length of ${hex(tag)}`);
        c.pos += 2;
        len = c.u32();
      } else {
        c.need(2, `the length of ${hex(tag)}`);
        len = c.u16();
      }
    } else {
      c.need(4, `the length of ${hex(tag)}`);
      len = c.u32();
    }
    if (len === UNDEFINED) skipUndefinedSequence(c, tag);
    else {
      c.need(len, `the value of ${hex(tag)} (${len} bytes)`);
      c.pos += len;
    }
  }
}

/**
 * dcmjs reads a value cut off by the end of the buffer as if the missing bytes were zeros, so a
 * truncated object would parse "successfully". This walks the element headers of the data set
 * (no values are decoded) and refuses one whose last element runs past the end.
 */
export function assertComplete(part10: Buffer, transferSyntaxUid: string): void {
  if (transferSyntaxUid === TS.DeflatedExplicitVRLittleEndian) return; // the inflater reports truncation itself
  if (part10.length < 144 || part10.toString('latin1', 128, 132) !== 'DICM') throw new InvalidDicomError('not a Part 10 object');
  const metaLength = part10.readUInt32LE(140);
  const start = 144 + metaLength;
  if (start > part10.length) throw new InvalidDicomError('file meta information is truncated');
  const c = new Cursor(part10, start, transferSyntaxUid !== TS.ImplicitVRLittleEndian, transferSyntaxUid !== TS.ExplicitVRBigEndian);
  skipElements(c, false);
}
