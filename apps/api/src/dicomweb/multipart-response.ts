import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { closingDelimiter, multipartContentType, newBoundary, partOpening } from './multipart-related';

export interface OutgoingPart {
  readonly headers: Readonly<Record<string, string | number>>;
  /** A buffer, or a function opening a stream (called only when the part's turn comes). */
  readonly body: Buffer | (() => Readable);
}

async function write(res: Response, chunk: Buffer): Promise<void> {
  if (!res.write(chunk)) await once(res, 'drain');
}

/**
 * Streams parts as multipart/related, one after the other, honouring back-pressure so that a
 * study of thousands of instances never sits in memory.
 */
export async function sendMultipart(res: Response, partType: string, parts: AsyncIterable<OutgoingPart> | Iterable<OutgoingPart>): Promise<void> {
  const boundary = newBoundary();
  res.status(200).setHeader('Content-Type', multipartContentType(boundary, partType));
  let i = 0;
  for await (const part of parts) {
    await write(res, partOpening(boundary, i++, part.headers));
    if (Buffer.isBuffer(part.body)) await write(res, part.body);
    else await pipeline(part.body(), res, { end: false });
  }
  res.end(closingDelimiter(boundary));
}

/** Writes a JSON array element by element, for metadata of large series. */
export async function sendJsonArray(res: Response, contentType: string, items: AsyncIterable<unknown>): Promise<void> {
  res.status(200).setHeader('Content-Type', contentType);
  let first = true;
  for await (const item of items) {
    await write(res, Buffer.from((first ? '[' : ',') + JSON.stringify(item)));
    first = false;
  }
  res.end(first ? '[]' : ']');
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
