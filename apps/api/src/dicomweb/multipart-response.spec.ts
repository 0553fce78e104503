import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Readable } from 'node:stream';
import { readMultipart } from './multipart-related';
import { OutgoingPart, sendMultipart } from './multipart-response';

/** An Express app answering GET / with sendMultipart(parts()), on a free port; `done` settles when sendMultipart does. */
async function serve(parts: () => AsyncIterable<OutgoingPart>): Promise<{ url: string; server: Server; done: Promise<void> }> {
  let settle!: () => void;
  const done = new Promise<void>((r) => (settle = r));
  const app = express();
  app.get('/', (_req, res) => {
    sendMultipart(res, 'application/dicom', parts()).finally(settle);
  });
  const server = await new Promise<Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, done };
}

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff));

describe('sendMultipart', () => {
  it('writes buffer parts and streamed parts byte for byte, each with its headers', async () => {
    const a = bytes(300_000, 1);
    const b = bytes(2_000_000, 2);
    const c = bytes(10, 3);
    const { url, server, done } = await serve(async function* () {
      yield { headers: { 'Content-Type': 'application/dicom', 'Content-Length': a.length }, body: a };
      yield { headers: { 'Content-Type': 'application/dicom', 'Content-Length': b.length }, body: () => Readable.from([b.subarray(0, 65536), b.subarray(65536)]) };
      yield { headers: { 'Content-Type': 'application/dicom', 'Content-Length': c.length }, body: c };
    });
    try {
      const res = await fetch(url);
      const boundary = /boundary=([^;]+)/.exec(res.headers.get('content-type') ?? '')![1];
      const body = Buffer.from(await res.arrayBuffer());
      const got = [];
      for await (const p of readMultipart(Readable.from([body]), boundary, { maxTotalBytes: 1e9, maxPartBytes: 1e9 })) got.push(p);
      expect(got.map((p) => p.headers['content-length'])).toEqual([String(a.length), String(b.length), String(c.length)]);
      expect(got.map((p, i) => p.body.equals([a, b, c][i]))).toEqual([true, true, true]);
      await done;
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('stops, rather than waiting for a drain that never comes, when the client goes away', async () => {
    const part = bytes(1_000_000, 4);
    let written = 0;
    const { url, server, done } = await serve(async function* () {
      // Far more than the client reads or the sockets hold.
      for (let i = 0; i < 10_000; i++) {
        written++;
        yield { headers: { 'Content-Length': part.length }, body: part };
      }
    });
    try {
      const controller = new AbortController();
      const res = await fetch(url, { signal: controller.signal });
      const reader = res.body!.getReader();
      await reader.read();
      controller.abort();
      await done;
      expect(written).toBeLessThan(10_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
