import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ROOT } from './env';
import { freePort } from './ports';
import { waitFor } from './wait-for';

/**
 * A real S3-compatible server for the archive tier's S3 path: moto's server mode (PyPI
 * `moto[server]`, installed in .venv by scripts/lib.sh). MinIO is not packaged in the registries
 * this project installs from; moto speaks the S3 REST API over HTTP like any S3 endpoint.
 */
export class MotoS3 {
  private proc?: ChildProcess;
  port = 0;
  readonly accessKeyId = 'krypton-test';
  readonly secretAccessKey = 'krypton-test-secret';

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  client(): S3Client {
    return new S3Client({ endpoint: this.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: this.accessKeyId, secretAccessKey: this.secretAccessKey } });
  }

  async start(bucket: string): Promise<void> {
    const bin = join(ROOT, '.venv/bin/moto_server');
    if (!existsSync(bin)) throw new Error(`${bin} is missing: scripts/lib.sh ensure_python_peers installs moto[server] there`);
    this.port = await freePort();
    this.proc = spawn(bin, ['-H', '127.0.0.1', '-p', String(this.port)], { stdio: 'ignore' });
    await waitFor('moto S3 server', async () => (await fetch(`${this.endpoint}/`).catch(() => null))?.ok, 30_000, 200);
    const s3 = this.client();
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    s3.destroy();
  }

  async stop(): Promise<void> {
    if (!this.proc || this.proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.proc!.once('exit', () => resolve());
      this.proc!.kill('SIGTERM');
    });
  }
}
