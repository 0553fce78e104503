import { TRANSCODE_TARGETS, TS } from '@krypton/dicom-codec';
import { NotAcceptableError } from './dicomweb-errors';

/** One media type or media range with its parameters (names lower-cased, quotes removed). */
export interface MediaType {
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
  readonly q: number;
}

/** Splits on a separator outside double quotes (parameter values such as type="..." may be quoted). */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of s) {
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function parseMediaType(value: string | undefined): MediaType | null {
  if (!value || !value.trim()) return null;
  const [head, ...rest] = splitOutsideQuotes(value, ';');
  const type = head.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+*-]+\/[a-z0-9!#$&^_.+*-]+$/.test(type)) return null;
  const params: Record<string, string> = {};
  let q = 1;
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    const v = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (name === 'q') q = Number.isFinite(Number(v)) ? Number(v) : 1;
    else params[name] = name === 'type' ? v.toLowerCase() : v;
  }
  return { type, params, q };
}

/** The ranges of an Accept header, most preferred first; q=0 ranges are dropped. Absent header: empty list. */
export function parseAccept(header: string | undefined): MediaType[] {
  if (!header) return [];
  return splitOutsideQuotes(header, ',')
    .map((r) => parseMediaType(r))
    .filter((m): m is MediaType => m !== null && m.q > 0)
    .sort((a, b) => b.q - a.q);
}

/** Transfer syntaxes whose pixel data is native (uncompressed); frames of these are sent as octet streams. */
export const NATIVE_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set([TS.ImplicitVRLittleEndian, TS.ExplicitVRLittleEndian, TS.ExplicitVRBigEndian, TS.DeflatedExplicitVRLittleEndian]);

/** Media types of compressed pixel data (PS3.18 Table 8.7.3-5), by transfer syntax. */
const COMPRESSED_MEDIA_TYPE: ReadonlyArray<[RegExp, string]> = [
  [/^1\.2\.840\.10008\.1\.2\.4\.(50|51|57|70)$/, 'image/jpeg'],
  [/^1\.2\.840\.10008\.1\.2\.4\.(80|81)$/, 'image/jls'],
  [/^1\.2\.840\.10008\.1\.2\.4\.(90|91)$/, 'image/jp2'],
  [/^1\.2\.840\.10008\.1\.2\.4\.(92|93)$/, 'image/jpx'],
  [/^1\.2\.840\.10008\.1\.2\.4\.(201|202|203)$/, 'image/jphc'],
  [/^1\.2\.840\.10008\.1\.2\.4\.(110|111|112)$/, 'image/jxl'],
  [/^1\.2\.840\.10008\.1\.2\.4\.(100|101)$/, 'video/mpeg'],
  [/^1\.2\.840\.10008\.1\.2\.4\.(102|103|104|105|106)$/, 'video/mp4'],
  [/^1\.2\.840\.10008\.1\.2\.4\.(107|108)$/, 'video/H265'],
  [/^1\.2\.840\.10008\.1\.2\.5$/, 'image/dicom-rle'],
];

export function compressedMediaType(transferSyntaxUid: string): string | null {
  return COMPRESSED_MEDIA_TYPE.find(([re]) => re.test(transferSyntaxUid))?.[1] ?? null;
}

const describe = (accept: string | undefined) => accept ?? '';

function matchesRange(range: string, concrete: string): boolean {
  if (range === '*/*') return true;
  const [rt, rs] = range.split('/');
  const [ct, cs] = concrete.toLowerCase().split('/');
  return rt === ct && (rs === '*' || rs === cs);
}

/** QIDO-RS and metadata answer DICOM JSON; plain application/json is honoured for browsers and scripts. */
export function negotiateJson(accept: string | undefined): 'application/dicom+json' | 'application/json' {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return 'application/dicom+json';
  for (const r of ranges) {
    if (matchesRange(r.type, 'application/dicom+json')) return 'application/dicom+json';
    if (r.type === 'application/json') return 'application/json';
  }
  throw new NotAcceptableError(describe(accept), 'only application/dicom+json is offered here');
}

/** The inner type of a multipart/related range; absent means the resource's default (PS3.18 8.7.3.5.1). */
function innerType(r: MediaType, fallback: string): string {
  return r.params.type ?? fallback;
}

/**
 * Instance retrieval sends the stored Part 10 files as they are, unless the client names a
 * transfer syntax the hub can transcode to losslessly (TRANSCODE_TARGETS: Explicit VR Little
 * Endian, JPEG-LS lossless, JPEG 2000 lossless). Returns that syntax, or null for "as stored": a
 * range is satisfied as stored when its transfer-syntax is `*`, absent, or the stored syntax of
 * every instance. Absent is read leniently (strictly it means Explicit VR Little Endian): a Part 10
 * file states its own transfer syntax, and common clients (dicomweb-client, curl users) omit the
 * parameter. Lossy targets are refused (406): the hub never degrades an image on the way out.
 */
export function negotiateInstances(accept: string | undefined, storedSyntaxes: readonly string[]): string | null {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return null;
  const unique = [...new Set(storedSyntaxes)];
  for (const r of ranges) {
    if (r.type === '*/*') return null;
    if (r.type !== 'multipart/related' && r.type !== 'multipart/*') continue;
    if (!matchesRange(innerType(r, 'application/dicom'), 'application/dicom')) continue;
    const ts = r.params['transfer-syntax'];
    if (ts === undefined || ts === '*' || unique.every((s) => s === ts)) return null;
    if (TRANSCODE_TARGETS.has(ts)) return ts;
  }
  throw new NotAcceptableError(
    describe(accept),
    `instances are stored in ${unique.join(', ')} and are sent as stored, or transcoded losslessly to ${[...TRANSCODE_TARGETS].join(', ')}; ask for one of these or transfer-syntax=*`,
  );
}

/**
 * Chooses the Content-Type of frame (and pixel bulk data) parts. Native pixel data goes out as
 * application/octet-stream in Explicit VR Little Endian; compressed pixel data goes out as stored,
 * labelled with its transfer syntax, either as its image media type or as an octet stream when the
 * client accepts any transfer syntax (what OHIF/cornerstone asks for).
 */
export function negotiateFrames(accept: string | undefined, storedSyntax: string): string {
  const native = NATIVE_TRANSFER_SYNTAXES.has(storedSyntax);
  const servedTs = native ? TS.ExplicitVRLittleEndian : storedSyntax;
  const octet = `application/octet-stream; transfer-syntax=${servedTs}`;
  const image = native ? null : compressedMediaType(storedSyntax);
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return octet;
  for (const r of ranges) {
    if (r.type === '*/*') return octet;
    const multipart = r.type === 'multipart/related' || r.type === 'multipart/*';
    // A bare (non-multipart) range is read as the part type: some clients send application/octet-stream alone.
    const inner = multipart ? innerType(r, 'application/octet-stream') : r.type;
    const ts = r.params['transfer-syntax'];
    if (matchesRange(inner, 'application/octet-stream')) {
      // Without a transfer-syntax, octet-stream means uncompressed Explicit VR Little Endian (PS3.18 8.7.3.3.2).
      if (ts === '*' || ts === servedTs || (ts === undefined && native)) return octet;
    }
    if (image && inner !== '*/*' && matchesRange(inner, image) && (ts === undefined || ts === '*' || ts === storedSyntax)) {
      return `${image}; transfer-syntax=${storedSyntax}`;
    }
  }
  throw new NotAcceptableError(
    describe(accept),
    native
      ? 'uncompressed frames are offered as multipart/related; type="application/octet-stream"'
      : `frames are stored compressed (${storedSyntax}) and are not transcoded; accept ${image ?? 'application/octet-stream'} or transfer-syntax=*`,
  );
}

/**
 * Bulk data goes out as multipart/related (PS3.18 8.7.3.5); a client that asks for a bare
 * application/octet-stream (a browser fetch, curl) gets the bytes as the whole body.
 */
export function negotiateBulk(accept: string | undefined): 'multipart' | 'single' {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return 'multipart';
  for (const r of ranges) {
    if (r.type === '*/*') return 'multipart';
    if ((r.type === 'multipart/related' || r.type === 'multipart/*') && matchesRange(innerType(r, 'application/octet-stream'), 'application/octet-stream')) {
      return 'multipart';
    }
    if (r.type === 'application/octet-stream' || r.type === 'application/*') return 'single';
  }
  throw new NotAcceptableError(describe(accept), 'bulk data is offered as multipart/related; type="application/octet-stream"');
}
