import { Readable } from 'node:stream';
import type { Response } from 'express';
import { closingDelimiter, multipartContentType, newBoundary, partOpening } from './multipart-related';

export interface OutgoingPart {
  readonly headers: Readonly<Record<string, string | number>>;
  /** A buffer, or a function opening a stream (called only when the part's turn comes). */
  readonly body: Buffer | (() => Readable);
  /** Called once a buffer body has been handed to the socket and nothing refers to it any more (its buffer may be used again). */
  readonly written?: () => void;
}

/**
 * Resolves true once the response takes more, false when the client went away (then no 'drain'
 * comes, and a writer waiting for one would hold its files and its request forever).
 */
function drained(res: Response): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const settle = (more: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(more);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** Writes a chunk, then waits while the socket is full; false when the client is gone. */
async function write(res: Response, chunk: Buffer): Promise<boolean> {
  if (res.destroyed) return false;
  return res.write(chunk) || drained(res);
}

/**
 * Streams parts as multipart/related, one after the other, honouring back-pressure so that a
 * study of thousands of instances never sits in memory: the parts come from a read-ahead (see
 * readAhead) and each is written as a buffer with its opening, or piped from its stream for an
 * object too large to read whole. Stops quietly when the client goes away.
 */
export async function sendMultipart(res: Response, partType: string, parts: AsyncIterable<OutgoingPart> | Iterable<OutgoingPart>): Promise<void> {
  const boundary = newBoundary();
  res.status(200).setHeader('Content-Type', multipartContentType(boundary, partType));
  let i = 0;
  for await (const part of parts) {
    const opening = partOpening(boundary, i++, part.headers);
    if (Buffer.isBuffer(part.body)) {
      // One write of opening and body: the HTTP layer frames them as one chunk.
      res.cork();
      res.write(opening);
      const more = res.write(part.body, part.written);
      res.uncork();
      if (!more && !(await drained(res))) return;
      continue;
    }
    if (!(await write(res, opening))) return;
    const stream = part.body();
    try {
      for await (const chunk of stream) if (!(await write(res, chunk as Buffer))) return;
    } finally {
      stream.destroy();
    }
  }
  res.end(closingDelimiter(boundary));
}

/** How much of a JSON array is gathered before a write (one write per element cost more than making them). */
const JSON_WRITE_BYTES = 256 * 1024;

/**
 * Writes a JSON array of already serialized elements as they come, for metadata of large series,
 * in writes of about JSON_WRITE_BYTES; stops quietly when the client goes away.
 */
export async function sendJsonArray(res: Response, contentType: string, items: AsyncIterable<string>): Promise<void> {
  res.status(200).setHeader('Content-Type', contentType);
  let pending: string[] = [];
  let size = 0;
  let first = true;
  for await (const item of items) {
    pending.push(first ? '[' : ',', item);
    first = false;
    size += item.length + 1;
    if (size >= JSON_WRITE_BYTES) {
      const chunk = Buffer.from(pending.join(''));
      pending = [];
      size = 0;
      if (!(await write(res, chunk))) return;
    }
  }
  pending.push(first ? '[]' : ']');
  res.end(Buffer.from(pending.join('')));
}

/** A JSON body serialised ahead of sending (QIDO builds it while its audit record is being made durable). */
export const jsonBytes = (body: unknown): Buffer => Buffer.from(JSON.stringify(body), 'utf8');

/**
 * Sends a JSON body (a value, or bytes from `jsonBytes`) with exactly the given Content-Type. Express would append "; charset=utf-8" to a
 * string body, and dicomweb-client compares the header to "application/dicom+json" literally; JSON
 * is UTF-8 by definition (RFC 8259), so the parameter adds nothing.
 */
export function sendJson(res: Response, status: number, contentType: string, body: unknown | Buffer): void {
  const bytes = Buffer.isBuffer(body) ? body : jsonBytes(body);
  res.status(status).setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}
