import { buildFileMetaHeader, Captured, Elements, TS, writeDataset } from '@krypton/dicom-codec';

/**
 * Builds synthetic Part 10 objects for tests from plain values: strings (multi-valued with "\\"),
 * numbers for binary VRs, Buffers as raw bytes, arrays of items for sequences. Used by the unit
 * tests of the profile and by the end-to-end scanner test to plant identifying values.
 */
export type SyntheticValue = string | number | Buffer | SyntheticItem[];
export interface SyntheticItem {
  [tag: string]: { vr: string; value: SyntheticValue };
}

const NUMERIC: Record<string, (b: Buffer, v: number) => void> = {
  US: (b, v) => b.writeUInt16LE(v),
  SS: (b, v) => b.writeInt16LE(v),
  UL: (b, v) => b.writeUInt32LE(v),
  SL: (b, v) => b.writeInt32LE(v),
  FL: (b, v) => b.writeFloatLE(v),
  FD: (b, v) => b.writeDoubleLE(v),
};
const SIZE: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8 };

export function syntheticElements(item: SyntheticItem): Elements {
  const out: Elements = new Map();
  for (const [key, { vr, value }] of Object.entries(item)) {
    const tag = parseInt(key, 16) >>> 0;
    out.set(tag, element(vr, value));
  }
  return out;
}

function element(vr: string, value: SyntheticValue): Captured {
  if (Array.isArray(value)) return { vr: 'SQ', value: Buffer.alloc(0), items: value.map(syntheticElements) };
  if (Buffer.isBuffer(value)) return { vr, value };
  if (typeof value === 'number') {
    const write = NUMERIC[vr];
    if (write) {
      const b = Buffer.alloc(SIZE[vr]);
      write(b, value);
      return { vr, value: b };
    }
    value = String(value);
  }
  let bytes = Buffer.from(value, 'utf8');
  if (bytes.length % 2) bytes = Buffer.concat([bytes, Buffer.from([vr === 'UI' ? 0 : 0x20])]);
  return { vr, value: bytes };
}

/** A Part 10 object (explicit VR little endian unless told) with the given top-level elements. */
export function syntheticPart10(item: SyntheticItem, transferSyntaxUid: string = TS.ExplicitVRLittleEndian): Buffer {
  const sopClass = String(item['00080016']?.value ?? '1.2.840.10008.5.1.4.1.1.2');
  const sopInstance = String(item['00080018']?.value ?? '1.2.3.4.5');
  const meta = buildFileMetaHeader({ sopClassUid: sopClass, sopInstanceUid: sopInstance, transferSyntaxUid });
  return Buffer.concat([meta, writeDataset(syntheticElements(item), transferSyntaxUid !== TS.ImplicitVRLittleEndian)]);
}
