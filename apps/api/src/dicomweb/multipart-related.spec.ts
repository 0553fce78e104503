import { closingDelimiter, MultipartLimitError, MultipartSyntaxError, partOpening, readMultipart } from './multipart-related';

const B = 'b0undary';

function body(parts: Buffer[]): Buffer {
  const out: Buffer[] = [];
  parts.forEach((p, i) => out.push(partOpening(B, i, { 'Content-Type': 'application/dicom' }), p));
  out.push(closingDelimiter(B));
  return Buffer.concat(out);
}

/** Feeds the body in chunks of `size` bytes, to cross delimiters at every offset. */
async function* chunked(buf: Buffer, size: number) {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function collect(src: AsyncIterable<Buffer>, limits = { maxTotalBytes: 1e9, maxPartBytes: 1e9 }) {
  const parts = [];
  for await (const p of readMultipart(src, B, limits)) parts.push(p);
  return parts;
}

describe('readMultipart', () => {
  const payloads = [Buffer.from('first\r\n--b0undar'), Buffer.alloc(3000, 7), Buffer.alloc(0)];

  it.each([1, 2, 7, 64, 100000])('splits parts whatever the chunk size (%d)', async (size) => {
    const parts = await collect(chunked(body(payloads), size));
    expect(parts.map((p) => p.body)).toEqual(payloads);
    expect(parts[0].headers['content-type']).toBe('application/dicom');
  });

  it('skips a preamble and an epilogue', async () => {
    const buf = Buffer.concat([Buffer.from('preamble\r\n'), body([Buffer.from('x')]), Buffer.from('epilogue')]);
    expect((await collect(chunked(buf, 5))).map((p) => p.body.toString())).toEqual(['x']);
  });

  it('refuses a body cut before the closing delimiter, after yielding the complete parts', async () => {
    const full = body([Buffer.from('one'), Buffer.from('two')]);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const p of readMultipart(chunked(full.subarray(0, full.length - 20), 4), B, { maxTotalBytes: 1e9, maxPartBytes: 1e9 })) seen.push(p.body.toString());
      })(),
    ).rejects.toThrow(MultipartSyntaxError);
    expect(seen).toEqual(['one']);
  });

  it('refuses a body without the boundary', async () => {
    await expect(collect(chunked(Buffer.from('no parts here'), 3))).rejects.toThrow(/no part delimited/);
  });

  it('enforces the part and request limits', async () => {
    await expect(collect(chunked(body([Buffer.alloc(100)]), 10), { maxTotalBytes: 1e9, maxPartBytes: 50 })).rejects.toThrow(MultipartLimitError);
    await expect(collect(chunked(body([Buffer.alloc(100)]), 10), { maxTotalBytes: 60, maxPartBytes: 1e9 })).rejects.toMatchObject({ what: 'request' });
  });
});
