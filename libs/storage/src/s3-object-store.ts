import { mkdir, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes, createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ObjectStore, PutOptions, PutOutcome } from './object-store';
import { ObjectNotFoundError } from './storage-errors';

export interface S3StoreOptions {
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly forcePathStyle: boolean;
  /** Where localPath() downloads objects for tools that read files. */
  readonly cacheDir: string;
}

const notFound = (e: { name?: string; $metadata?: { httpStatusCode?: number } }) => e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;

/**
 * An S3-compatible bucket (AWS S3, MinIO, Ceph RGW…) as an object store, for the archive tier. A
 * PUT is atomic and durable when S3 answers, so there is no temporary-file dance; "keep first" is a
 * HEAD before the PUT, which is enough because only the archive activities write here, one study at
 * a time.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly s3: S3Client;

  constructor(private readonly o: S3StoreOptions) {
    this.s3 = new S3Client({
      endpoint: o.endpoint,
      region: o.region,
      forcePathStyle: o.forcePathStyle,
      credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey },
    });
  }

  private key(key: string): string {
    return this.o.prefix ? `${this.o.prefix.replace(/\/$/, '')}/${key}` : key;
  }

  async put(key: string, chunks: readonly Buffer[], opts: PutOptions): Promise<PutOutcome> {
    const existed = await this.exists(key);
    if (existed && opts.onExisting === 'keep-first') return 'duplicate';
    const body = Buffer.concat(chunks);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.o.bucket,
        Key: this.key(key),
        Body: body,
        ContentType: 'application/dicom',
        // S3 checks the bytes it received against this and refuses the PUT otherwise.
        ContentMD5: createHash('md5').update(body).digest('base64'),
      }),
    );
    return existed ? 'replaced' : 'stored';
  }

  async get(key: string): Promise<Buffer> {
    try {
      const r = await this.s3.send(new GetObjectCommand({ Bucket: this.o.bucket, Key: this.key(key) }));
      return Buffer.from(await r.Body!.transformToByteArray());
    } catch (e) {
      if (notFound(e as never)) throw new ObjectNotFoundError(key);
      throw e;
    }
  }

  stream(key: string, range?: { start: number; end: number }): Readable {
    const out = new PassThrough();
    this.s3
      .send(new GetObjectCommand({ Bucket: this.o.bucket, Key: this.key(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }))
      .then((r) => (r.Body as Readable).pipe(out))
      .catch((e) => out.destroy(notFound(e) ? new ObjectNotFoundError(key) : e));
    return out;
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.o.bucket, Key: this.key(key) }));
      return true;
    } catch (e) {
      if (notFound(e as never)) return false;
      throw e;
    }
  }

  async localPath(key: string): Promise<string> {
    const bytes = await this.get(key);
    await mkdir(this.o.cacheDir, { recursive: true });
    const path = join(this.o.cacheDir, key.replace(/\//g, '_'));
    const tmp = `${path}.${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
    return path;
  }

  async size(key: string): Promise<number> {
    try {
      const r = await this.s3.send(new HeadObjectCommand({ Bucket: this.o.bucket, Key: this.key(key) }));
      return Number(r.ContentLength ?? 0);
    } catch (e) {
      if (notFound(e as never)) throw new ObjectNotFoundError(key);
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.o.bucket, Key: this.key(key) }));
  }

  /** A bucket has no meaningful free space to report. */
  async freeBytes(): Promise<number> {
    return Number.MAX_SAFE_INTEGER;
  }

  async *keys(): AsyncIterable<string> {
    const prefix = this.o.prefix ? `${this.o.prefix.replace(/\/$/, '')}/` : '';
    let token: string | undefined;
    do {
      const r = await this.s3.send(new ListObjectsV2Command({ Bucket: this.o.bucket, Prefix: prefix || undefined, ContinuationToken: token }));
      for (const o of r.Contents ?? []) if (o.Key) yield o.Key.slice(prefix.length);
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  }

  destroy(): void {
    this.s3.destroy();
  }
}
