import { randomBytes } from 'node:crypto';

/**
 * multipart/related (RFC 2387) for STOW-RS bodies and WADO-RS answers.
 *
 * Written here rather than taken from a package: multer and busboy only parse multipart/form-data,
 * and the few multipart/related parsers on npm buffer the whole body. This one streams: it holds
 * one part in memory at a time (a Part 10 object must be whole to be validated) plus a carry of a
 * few bytes, and pauses the request while the caller stores each part, so the socket applies
 * back-pressure to the sender.
 */

export interface MultipartPart {
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** 0-based position in the request, for error messages. */
  readonly index: number;
}

export class MultipartSyntaxError extends Error {
  constructor(
    message: string,
    public readonly partsRead: number,
  ) {
    super(message);
    this.name = 'MultipartSyntaxError';
  }
}

export class MultipartLimitError extends Error {
  constructor(
    public readonly what: 'request' | 'part' | 'headers',
    public readonly limitBytes: number,
    public readonly partsRead: number,
  ) {
    super(`multipart ${what} exceeds ${limitBytes} bytes`);
    this.name = 'MultipartLimitError';
  }
}

export interface MultipartLimits {
  readonly maxTotalBytes: number;
  readonly maxPartBytes: number;
  readonly maxHeaderBytes?: number;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function parseHeaders(block: Buffer): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** RFC 2046 boundaries: 1-70 characters of a restricted set, not ending with a space. */
export function isValidBoundary(b: string): boolean {
  return /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(b);
}

/** Yields the parts of a multipart body as they complete. */
export async function* readMultipart(source: AsyncIterable<Buffer>, boundary: string, limits: MultipartLimits): AsyncGenerator<MultipartPart> {
  const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  const maxHeader = limits.maxHeaderBytes ?? 16384;
  type State = 'preamble' | 'delimiter' | 'headers' | 'body' | 'epilogue';
  let state = 'preamble' as State;
  // A leading CRLF lets the first delimiter (which may open the body) be found like the others.
  let buf: Buffer = CRLF;
  let total = 0;
  let index = 0;
  let headers: Record<string, string> = {};
  let chunks: Buffer[] = [];
  let partSize = 0;

  const takeBody = (n: number) => {
    if (n <= 0) return;
    partSize += n;
    if (partSize > limits.maxPartBytes) throw new MultipartLimitError('part', limits.maxPartBytes, index);
    chunks.push(buf.subarray(0, n));
    buf = buf.subarray(n);
  };

  function* drain(): Generator<MultipartPart> {
    for (;;) {
      if (state === 'preamble') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          buf = buf.subarray(Math.max(0, buf.length - delimiter.length + 1));
          return;
        }
        buf = buf.subarray(at + delimiter.length);
        state = 'delimiter';
      } else if (state === 'delimiter') {
        if (buf.length < 2) return;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = 'epilogue';
          buf = Buffer.alloc(0);
          return;
        }
        const eol = buf.indexOf(CRLF);
        if (eol < 0) {
          if (buf.length > 256) throw new MultipartSyntaxError('a boundary delimiter is not followed by a line end', index);
          return;
        }
        // Transport padding (RFC 2046 5.1.1): whitespace between the boundary and its line end.
        if (!/^[ \t]*$/.test(buf.subarray(0, eol).toString('latin1'))) {
          throw new MultipartSyntaxError('the boundary string occurs inside a part (or a delimiter is malformed)', index);
        }
        buf = buf.subarray(eol + 2);
        state = 'headers';
      } else if (state === 'headers') {
        let end: number;
        let skip: number;
        if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) {
          end = 0; // no headers at all
          skip = 2;
        } else {
          end = buf.indexOf(HEADER_END);
          skip = 4;
        }
        if (end < 0) {
          if (buf.length > maxHeader) throw new MultipartLimitError('headers', maxHeader, index);
          return;
        }
        headers = parseHeaders(buf.subarray(0, end));
        buf = buf.subarray(end + skip);
        chunks = [];
        partSize = 0;
        state = 'body';
      } else if (state === 'body') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          // Keep what could be the start of a delimiter split across reads.
          takeBody(buf.length - delimiter.length + 1);
          return;
        }
        takeBody(at);
        buf = buf.subarray(delimiter.length);
        const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        chunks = [];
        yield { headers, body, index: index++ };
        state = 'delimiter';
      } else {
        buf = Buffer.alloc(0);
        return;
      }
    }
  }

  for await (const chunk of source) {
    total += chunk.length;
    if (total > limits.maxTotalBytes) throw new MultipartLimitError('request', limits.maxTotalBytes, index);
    if (state === 'epilogue') continue;
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    yield* drain();
  }
  if (state !== 'epilogue') {
    throw new MultipartSyntaxError(state === 'preamble' ? `no part delimited by boundary "${boundary}"` : 'the body ends before the closing boundary delimiter', index);
  }
}

export function newBoundary(): string {
  return `krypton-${randomBytes(16).toString('hex')}`;
}

/** The bytes that open part `index` of a multipart body (RFC 2046: CRLF before every delimiter but the first). */
export function partOpening(boundary: string, index: number, headers: Readonly<Record<string, string | number>>): Buffer {
  const lines = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return Buffer.from(`${index === 0 ? '' : '\r\n'}--${boundary}\r\n${lines}\r\n`, 'latin1');
}

export function closingDelimiter(boundary: string): Buffer {
  return Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
}

export function multipartContentType(boundary: string, partType: string): string {
  return `multipart/related; type="${partType}"; boundary=${boundary}`;
}
