import { Elements } from './dataset-scanner';

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const UNDEFINED = 0xffffffff;
const PIXEL_DATA = 0x7fe00010;

/**
 * Encodes a data set held as raw elements (the scanner's `elements()` tree, possibly edited) in
 * little-endian explicit or implicit VR. Values are written as they are held, so an element the
 * caller did not touch keeps its exact bytes; sequences and items get undefined lengths (no
 * length bookkeeping after edits). Written by hand for the same reason as the scanner: dcmjs
 * takes about ten seconds to write a fluoroscopy dose report of 100,000 elements.
 *
 * `encapsulatedPixelData`: the top-level Pixel Data value holds fragments and their delimiter
 * (as the scanner captures them) and is written with an undefined length.
 */
export function writeDataset(dataset: Elements, explicit: boolean, encapsulatedPixelData = false, sizeHint = 64 * 1024): Buffer {
  const out = new GrowingBuffer(sizeHint);
  writeElements(dataset, explicit, out, encapsulatedPixelData);
  return out.result();
}

/** One buffer that doubles when full: a header per element would otherwise be an allocation each. */
class GrowingBuffer {
  buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(Math.max(size, 1024));
  }
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  u16(v: number): void {
    this.buf.writeUInt16LE(v, this.pos);
    this.pos += 2;
  }
  u32(v: number): void {
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
  }
  bytes(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }
  result(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

function writeElements(dataset: Elements, explicit: boolean, out: GrowingBuffer, encapsulatedPixelData: boolean): void {
  const tags = [...dataset.keys()].sort((a, b) => a - b);
  for (const tag of tags) {
    const el = dataset.get(tag)!;
    if (el.items) {
      elementHeader(out, tag, 'SQ', UNDEFINED, explicit);
      for (const item of el.items) {
        itemTag(out, 0xe000, UNDEFINED);
        writeElements(item, explicit, out, false);
        itemTag(out, 0xe00d, 0);
      }
      itemTag(out, 0xe0dd, 0);
    } else if (tag === PIXEL_DATA && encapsulatedPixelData) {
      elementHeader(out, tag, 'OB', UNDEFINED, explicit);
      out.bytes(el.value);
    } else {
      let vr = el.vr;
      // A short-form VR cannot say a length over 65,535 in explicit VR: UN can, and keeps the bytes.
      if (explicit && !LONG_VRS.has(vr) && el.value.length > 0xffff) vr = 'UN';
      const odd = el.value.length % 2 === 1;
      elementHeader(out, tag, vr, el.value.length + (odd ? 1 : 0), explicit);
      out.bytes(el.value);
      if (odd) {
        out.ensure(1);
        out.buf[out.pos++] = vr === 'UI' || isBinary(vr) ? 0 : 0x20;
      }
    }
  }
}

function isBinary(vr: string): boolean {
  return vr.startsWith('O') || vr === 'UN';
}

function elementHeader(out: GrowingBuffer, tag: number, vr: string, length: number, explicit: boolean): void {
  out.ensure(12);
  out.u16(tag >>> 16);
  out.u16(tag & 0xffff);
  if (!explicit) {
    out.u32(length);
    return;
  }
  out.buf.write(vr, out.pos, 2, 'latin1');
  out.pos += 2;
  if (LONG_VRS.has(vr)) {
    out.u16(0);
    out.u32(length);
  } else out.u16(length);
}

function itemTag(out: GrowingBuffer, element: number, length: number): void {
  out.ensure(8);
  out.u16(0xfffe);
  out.u16(element);
  out.u32(length);
}
