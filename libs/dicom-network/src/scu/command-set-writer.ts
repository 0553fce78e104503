import * as dimse from 'dcmjs-dimse';
import { COMMAND_ELEMENTS } from './command-set-reader';

const TAG_BY_KEYWORD = new Map(Object.entries(COMMAND_ELEMENTS).map(([tag, [keyword, vr]]) => [keyword, { tag: Number(tag), vr }]));

/**
 * Writes a command set (implicit VR little endian, group 0000, with its group length) from
 * dcmjs's naturalized elements, byte for byte as dcmjs would, or returns null when it holds
 * anything this table does not know (then dcmjs writes it). dcmjs-dimse writes every command
 * through dcmjs's generic writer, which allocates and zero-fills a large buffer each time: about
 * a third of the gateway's CPU per instance of a C-MOVE went there (the C-STORE request and the
 * pending C-MOVE response of every sub-operation).
 */
export function writeCommandSet(elements: Readonly<Record<string, unknown>>): Buffer | null {
  const items: { tag: number; vr: string; value: Buffer | number }[] = [];
  let length = 0;
  for (const keyword of Object.keys(elements)) {
    if (keyword === '_vrMap' || keyword === 'CommandGroupLength') continue;
    const known = TAG_BY_KEYWORD.get(keyword);
    if (!known) return null;
    const v = elements[keyword];
    // dcmjs leaves out what is undefined (dcmjs-dimse sets ErrorComment that way when there is none).
    if (v === undefined) continue;
    let value: Buffer | number;
    if (known.vr === 'US' || known.vr === 'UL') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > (known.vr === 'US' ? 0xffff : 0xffffffff)) return null;
      value = v;
      length += 8 + (known.vr === 'US' ? 2 : 4);
    } else {
      if (typeof v !== 'string') return null;
      // Even lengths (PS3.5 7.1.1): UIDs padded with NUL, text with a space, as dcmjs pads them.
      const text = v.length % 2 ? v + (known.vr === 'UI' ? '\0' : ' ') : v;
      value = Buffer.from(text, 'latin1');
      if (value.length !== text.length) return null;
      length += 8 + value.length;
    }
    items.push({ tag: known.tag, vr: known.vr, value });
  }
  items.sort((a, b) => a.tag - b.tag);
  const out = Buffer.allocUnsafe(12 + length);
  out.writeUInt32LE(0x00000000, 0);
  out.writeUInt32LE(4, 4);
  out.writeUInt32LE(length, 8);
  let o = 12;
  for (const { tag, vr, value } of items) {
    out.writeUInt16LE(tag >>> 16, o);
    out.writeUInt16LE(tag & 0xffff, o + 2);
    if (typeof value === 'number') {
      const n = vr === 'US' ? 2 : 4;
      out.writeUInt32LE(n, o + 4);
      if (n === 2) out.writeUInt16LE(value, o + 8);
      else out.writeUInt32LE(value, o + 8);
      o += 8 + n;
    } else {
      out.writeUInt32LE(value.length, o + 4);
      value.copy(out, o + 8);
      o += 8 + value.length;
    }
  }
  return out;
}

let installed = false;

/** Routes dcmjs-dimse's writing of command sets through writeCommandSet (the SCU's requests and the SCP's responses). */
export function installFastCommandWriter(): void {
  if (installed) return;
  installed = true;
  const proto = (dimse.Dataset as any).prototype;
  const original = proto.getDenaturalizedCommandDataset;
  proto.getDenaturalizedCommandDataset = function (writeOptions?: unknown) {
    return writeCommandSet(this.getElements()) ?? original.call(this, writeOptions);
  };
}
