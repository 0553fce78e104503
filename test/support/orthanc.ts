import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for';

/** A real Orthanc (Debian package) as the remote PACS, on ports of the test's choosing. */
export class OrthancPeer {
  private proc?: ChildProcess;

  /** `extra` is merged into orthanc.json (DicomModalities for storage commitment reports, AcceptedTransferSyntaxes...). */
  constructor(
    public readonly dir: string,
    public readonly dicomPort: number,
    public readonly httpPort: number,
    public readonly aeTitle = 'ORTHANC',
    extra: Record<string, unknown> = {},
  ) {
    mkdirSync(join(dir, 'db'), { recursive: true });
    writeFileSync(
      join(dir, 'orthanc.json'),
      JSON.stringify({
        Name: 'krypton-test-orthanc',
        StorageDirectory: join(dir, 'db'),
        IndexDirectory: join(dir, 'db'),
        DicomAet: aeTitle,
        DicomPort: dicomPort,
        HttpPort: httpPort,
        RemoteAccessAllowed: false,
        AuthenticationEnabled: false,
        DicomCheckCalledAeTitle: false,
        Plugins: [],
        SyncStorageArea: true,
        ...extra,
      }),
    );
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  async start(): Promise<void> {
    this.proc = spawn('Orthanc', [join(this.dir, 'orthanc.json')], { stdio: 'ignore', env: { ...process.env, TCP_NODELAY: '1' } });
    await waitFor('Orthanc to answer', async () => (await fetch(`${this.url}/system`)).ok, 30_000);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGTERM');
    });
    this.proc = undefined;
  }

  async instances(): Promise<string[]> {
    return (await fetch(`${this.url}/instances`)).json() as Promise<string[]>;
  }

  /** Deletes every instance Orthanc holds, so that a test sees exactly what it made arrive. */
  async clear(): Promise<void> {
    for (const id of await this.instances()) {
      const res = await fetch(`${this.url}/instances/${id}`, { method: 'DELETE' });
      if (!res.ok) throw new Error(`Orthanc DELETE /instances/${id}: ${res.status}`);
    }
  }

  async sopInstanceUids(): Promise<string[]> {
    const ids = await this.instances();
    const out: string[] = [];
    for (const id of ids) {
      const tags = (await (await fetch(`${this.url}/instances/${id}/simplified-tags`)).json()) as { SOPInstanceUID: string };
      out.push(tags.SOPInstanceUID);
    }
    return out;
  }
}
