import * as dcmjs from 'dcmjs';
import { NativeCodecs, Transcoder } from 'dcmjs-codecs';
import { TS } from './uids';
import { splitPart10 } from './dataset-scanner';
import { buildFileMetaHeader } from './file-meta';

/** Lossless compressed transfer syntaxes the hub writes (archive tier) and transcodes to (WADO-RS). */
export const JPEG_LS_LOSSLESS = '1.2.840.10008.1.2.4.80';
export const JPEG_2000_LOSSLESS = '1.2.840.10008.1.2.4.90';

/**
 * What WADO-RS can answer in besides the stored syntax: the uncompressed default and the two
 * lossless codecs. Lossy targets are refused: a hub must not degrade an image a client did not
 * ask to degrade, and a lossy answer to a diagnostic viewer is a clinical risk.
 */
export const TRANSCODE_TARGETS: ReadonlySet<string> = new Set([TS.ExplicitVRLittleEndian, JPEG_LS_LOSSLESS, JPEG_2000_LOSSLESS]);

/** What a copy for another system may be transcoded to: uncompressed, or lossless compression. */
const LOSSLESS_WRITABLE: ReadonlySet<string> = new Set([TS.ExplicitVRLittleEndian, TS.ImplicitVRLittleEndian, JPEG_LS_LOSSLESS, JPEG_2000_LOSSLESS]);

/**
 * The syntax to transcode to for a peer that takes `accepted` (its order of preference) and not
 * the stored one: the first the hub can write without loss, or null when there is none (the
 * caller refuses the instance rather than degrade it).
 */
export function losslessTargetFor(accepted: readonly string[]): string | null {
  return accepted.find((ts) => LOSSLESS_WRITABLE.has(ts)) ?? null;
}

/** The transcoder could not read, encode or decode this object (the codec threw). */
export class TranscodeError extends Error {
  constructor(
    public readonly from: string,
    public readonly to: string,
    cause: unknown,
  ) {
    super(`cannot transcode from ${from} to ${to}: ${(cause as Error)?.message ?? cause}`);
    this.name = 'TranscodeError';
  }
}

let ready: Promise<void> | null = null;

/** The codecs (CharLS, OpenJPEG… compiled to WebAssembly in dcmjs-codecs) load once per process. */
function codecs(): Promise<void> {
  ready ??= NativeCodecs.initializeAsync();
  return ready;
}

const arrayBuffer = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;

/** The Part 10 object in another transfer syntax (dcmjs-codecs re-encodes the data set through dcmjs). */
export async function transcodePart10(part10: Buffer, from: string, to: string): Promise<Buffer> {
  await codecs();
  try {
    const t = new Transcoder(arrayBuffer(part10));
    t.transcode(to);
    return Buffer.from(t.getDicomPart10());
  } catch (e) {
    throw new TranscodeError(from, to, e);
  }
}

/** The native pixel bytes of a Part 10 object (decoded first when compressed), or null without pixel data. */
export async function nativePixels(part10: Buffer, transferSyntaxUid: string): Promise<Buffer | null> {
  const native = transferSyntaxUid === TS.ExplicitVRLittleEndian ? part10 : await transcodePart10(part10, transferSyntaxUid, TS.ExplicitVRLittleEndian);
  const dict = dcmjs.data.DicomMessage.readFile(arrayBuffer(native)).dict as Record<string, { Value?: ArrayBuffer[] }>;
  const value = dict['7FE00010']?.Value;
  if (!value?.length) return null;
  return Buffer.concat(value.map((v) => Buffer.from(v)));
}

/**
 * JPEG-LS lossless copy of an uncompressed (Explicit VR Little Endian) image, verified: the copy
 * is decoded again and its pixels compared byte for byte with the original's. Returns null when
 * the object is not such an image, the codec fails on it, or the check does not hold: the caller
 * then keeps the original bytes. Nothing lossy can come out of here.
 */
export async function compressLosslessVerified(part10: Buffer, transferSyntaxUid: string): Promise<Buffer | null> {
  if (transferSyntaxUid !== TS.ExplicitVRLittleEndian) return null;
  try {
    const original = await nativePixels(part10, transferSyntaxUid);
    if (!original) return null;
    const compressed = await transcodePart10(part10, transferSyntaxUid, JPEG_LS_LOSSLESS);
    const decoded = await nativePixels(compressed, JPEG_LS_LOSSLESS);
    return decoded && decoded.equals(original) ? withSourceAeOf(part10, compressed) : null;
  } catch {
    return null;
  }
}

/** An archive copy compressed by compressLosslessVerified, back in the syntax it was received in. */
export async function decompressArchived(compressed: Buffer): Promise<Buffer> {
  return withSourceAeOf(compressed, await transcodePart10(compressed, JPEG_LS_LOSSLESS, TS.ExplicitVRLittleEndian));
}

/**
 * dcmjs-codecs writes a file meta of its own and drops Source Application Entity Title (0002,0016),
 * which the gateway writes and `krypton reindex` reads back as the study's sending AE (its site,
 * hence its archive policy and access rules): an archive copy and a recalled object keep it.
 */
function withSourceAeOf(from: Buffer, to: Buffer): Buffer {
  const ae = splitPart10(from)
    .meta.get(0x00020016)
    ?.value.toString('latin1')
    .replace(/[\0 ]+$/, '');
  if (!ae) return to;
  const { meta, body } = splitPart10(to);
  const text = (tag: number) =>
    meta
      .get(tag)
      ?.value.toString('latin1')
      .replace(/[\0 ]+$/, '') ?? '';
  return Buffer.concat([buildFileMetaHeader({ sopClassUid: text(0x00020002), sopInstanceUid: text(0x00020003), transferSyntaxUid: text(0x00020010), sourceAeTitle: ae }), body]);
}
