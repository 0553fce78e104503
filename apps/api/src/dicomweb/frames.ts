import { binaryChunks } from './dicom-json';

/** What is needed to cut native pixel data into frames. */
export interface PixelLayout {
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly bitsAllocated: number;
  readonly numberOfFrames: number;
}

/** The pixel data cannot be cut into the frames its attributes announce. */
export class FrameLayoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FrameLayoutError';
  }
}

export function pixelLayout(ds: Record<string, unknown>): PixelLayout {
  const n = (v: unknown, dflt: number) => {
    const x = Number(Array.isArray(v) ? v[0] : v);
    return Number.isFinite(x) && x > 0 ? x : dflt;
  };
  return {
    rows: n(ds.Rows, 0),
    columns: n(ds.Columns, 0),
    samplesPerPixel: n(ds.SamplesPerPixel, 1),
    bitsAllocated: n(ds.BitsAllocated, 0),
    numberOfFrames: n(ds.NumberOfFrames, 1),
  };
}

/** Frames of native pixel data; 1-bit data (segmentations) is re-packed so each frame starts on a byte. */
export function nativeFrames(pixelData: unknown, l: PixelLayout): Buffer[] {
  const data = Buffer.concat(binaryChunks(pixelData));
  const frameBits = l.rows * l.columns * l.samplesPerPixel * l.bitsAllocated;
  if (!frameBits) throw new FrameLayoutError('Rows, Columns or BitsAllocated is missing');
  if (Math.ceil((frameBits * l.numberOfFrames) / 8) > data.length) {
    throw new FrameLayoutError(`pixel data holds ${data.length} bytes, fewer than ${l.numberOfFrames} frame(s) of ${frameBits} bits`);
  }
  const frames: Buffer[] = [];
  for (let f = 0; f < l.numberOfFrames; f++) {
    if (frameBits % 8 === 0) {
      frames.push(data.subarray((f * frameBits) / 8, ((f + 1) * frameBits) / 8));
      continue;
    }
    const out = Buffer.alloc(Math.ceil(frameBits / 8));
    for (let b = 0; b < frameBits; b++) {
      const src = f * frameBits + b;
      if (data[src >> 3] & (1 << (src & 7))) out[b >> 3] |= 1 << (b & 7);
    }
    frames.push(out);
  }
  return frames;
}

const startsFrame = (b: Buffer) =>
  (b[0] === 0xff && b[1] === 0xd8) || // JPEG SOI
  (b[0] === 0xff && b[1] === 0x4f && b[2] === 0xff && b[3] === 0x51) || // JPEG 2000 codestream SOC+SIZ
  (b.length >= 12 && b.subarray(4, 8).toString('latin1') === 'jP  '); // JP2 signature box

/**
 * Frames of encapsulated pixel data, byte for byte as stored. dcmjs gives one entry per frame when
 * the Basic Offset Table is filled (an entry may then be the frame's fragments), and one entry per
 * fragment when it is empty. With an empty table and more fragments than frames, frame starts are
 * found from the codec's start-of-image markers (PS3.5 A.4 allows several fragments per frame).
 */
export function encapsulatedFrames(pixelData: unknown, numberOfFrames: number): Buffer[] {
  const entries = (Array.isArray(pixelData) ? pixelData : [pixelData]).map((e) => Buffer.concat(binaryChunks(e)));
  if (entries.length === numberOfFrames) return entries;
  if (numberOfFrames === 1) return [Buffer.concat(entries)];
  const frames: Buffer[][] = [];
  for (const fragment of entries) {
    if (frames.length === 0 || startsFrame(fragment)) frames.push([fragment]);
    else frames[frames.length - 1].push(fragment);
  }
  if (frames.length !== numberOfFrames) {
    throw new FrameLayoutError(`${entries.length} fragments cannot be grouped into ${numberOfFrames} frames without an offset table`);
  }
  return frames.map((f) => Buffer.concat(f));
}

/** Parses a frame list ("1,3,5") into 1-based frame numbers; null when malformed. */
export function parseFrameList(list: string): number[] | null {
  const parts = list.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => !/^[1-9]\d{0,8}$/.test(p))) return null;
  return parts.map(Number);
}
