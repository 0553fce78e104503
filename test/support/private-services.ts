import { ChildProcess, execSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { waitFor } from './wait-for';

/**
 * Services of a suite's own, for suites that stop and restart them (fault tests): the machine's
 * PostgreSQL, the checkout's Redis and Temporal server are shared with other suites and other
 * engineers, and must never be stopped.
 */

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/** A PostgreSQL cluster in a temporary folder (initdb + pg_ctl from the Debian package), trust auth. */
export class PrivatePostgres {
  port = 0;
  private readonly dir: string;
  private readonly bin: string;
  /** initdb and postgres refuse to run as root: they run as the package's `postgres` user then. */
  private readonly asUser = process.getuid?.() === 0 ? 'postgres' : null;

  constructor() {
    const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    this.bin = join('/usr/lib/postgresql', versions[0], 'bin');
    this.dir = mkdtempSync(join(tmpdir(), 'krypton-pg-'));
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  databaseUrl(name: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${name}`;
  }

  private run(tool: string, args: string[]): void {
    const cmd = this.asUser ? ['runuser', ['-u', this.asUser, '--', join(this.bin, tool), ...args]] : [join(this.bin, tool), args];
    const r = spawnSync(cmd[0] as string, cmd[1] as string[], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${tool} failed: ${r.stderr || r.stdout}`);
  }

  async init(): Promise<void> {
    this.port = await freePort();
    if (this.asUser) {
      const uid = Number(execSync(`id -u ${this.asUser}`, { encoding: 'utf8' }).trim());
      const gid = Number(execSync(`id -g ${this.asUser}`, { encoding: 'utf8' }).trim());
      chownSync(this.dir, uid, gid);
      chmodSync(this.dir, 0o700);
    }
    this.run('initdb', ['-D', join(this.dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    await this.start();
  }

  async start(): Promise<void> {
    this.run('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=100`,
      'start',
    ]);
    await waitFor('private PostgreSQL', () => reachable(this.port), 30_000);
  }

  /** Fast shutdown: connections are cut, as when the database host goes away. */
  async stop(): Promise<void> {
    if (!existsSync(join(this.dir, 'data', 'postmaster.pid'))) return;
    this.run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    spawnSync('rm', ['-rf', this.dir]);
  }
}

/** A Redis server on a free port, in memory only (like the suites' own): a restart loses every job. */
export class PrivateRedis {
  port = 0;
  private proc?: ChildProcess;

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    this.proc = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor('private Redis', () => reachable(this.port), 30_000);
  }

  /** SIGKILL: whatever it held is gone. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    p.kill('SIGKILL');
    await exited(p);
    this.proc = undefined;
  }
}

/** A Temporal dev server of the suite's own, its state in a file that survives a restart. */
export class PrivateTemporal {
  port = 0;
  private proc?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'krypton-temporal-'));

  constructor(private readonly namespace: string) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port ||= await freePort();
    mkdirSync(this.dir, { recursive: true });
    const out = openSync(join(this.dir, 'temporal.log'), 'a');
    this.proc = spawn(
      'temporal',
      [
        'server',
        'start-dev',
        '--headless',
        '--ip',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--ui-port',
        String(await freePort()),
        '--db-filename',
        join(this.dir, 'temporal.db'),
        '--log-level',
        'error',
        '--namespace',
        this.namespace,
      ],
      { stdio: ['ignore', out, out] },
    );
    await waitFor('private Temporal', () => reachable(this.port), 60_000);
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (!p) return;
    p.kill('SIGTERM');
    await exited(p);
    this.proc = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop();
    spawnSync('rm', ['-rf', this.dir]);
  }
}
