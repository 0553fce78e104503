import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { stringify } from 'yaml';
import { migrate } from '@krypton/database';
import { ROOT, suiteNamespace, TEST_DATA_DIR, TEST_TEMPORAL_ADDRESS, testDatabaseUrl, testRedisUrl, WORKFLOW_BUNDLE } from './env';
import { freePort } from './ports';
import { waitFor } from './wait-for';

export type HubApp = 'api' | 'worker' | 'dicom-gateway' | 'hl7-gateway' | 'idp';

export interface HubOptions {
  /** Names the suite's database, Redis db, task queue and folders. */
  readonly name: string;
  readonly redisDb: number;
  /** Extra AEs (destinations) beyond MODALITY1/MODALITY2. */
  readonly aes?: Record<string, unknown>[];
  readonly env?: Record<string, string>;
  readonly config?: Record<string, unknown>;
  /** A suite's own services (fault tests stop them) instead of the shared ones. */
  readonly databaseUrl?: string;
  readonly redisUrl?: string;
  readonly temporalAddress?: string;
  /** Run the gateway with its configured process count (dicom.processes) instead of one process. */
  readonly configuredGatewayProcesses?: boolean;
}

export const ADMIN = { Authorization: 'Bearer demo-admin-token' };

/**
 * The real hub as child processes (the same main.ts files `npm start` runs), wired to a database,
 * Redis db, storage folder and Temporal task queue of the suite's own.
 */
export class Hub {
  readonly procs = new Map<HubApp, ChildProcess>();
  httpPort = 0;
  dicomPort = 0;
  hl7Port = 0;
  /** The development identity provider's port (apps/idp), when a suite starts it. */
  idpPort = 0;
  readonly dir: string;
  readonly dbUrl: string;
  readonly redisUrl: string;
  readonly storageRoot: string;
  readonly configFile: string;

  constructor(readonly opts: HubOptions) {
    mkdirSync(TEST_DATA_DIR, { recursive: true });
    this.dir = mkdtempSync(join(TEST_DATA_DIR, `${opts.name}-`));
    this.dbUrl = opts.databaseUrl ?? testDatabaseUrl(opts.name);
    this.redisUrl = opts.redisUrl ?? testRedisUrl(opts.redisDb);
    this.storageRoot = join(this.dir, 'storage');
    this.configFile = join(this.dir, 'krypton.yaml');
  }

  /** The suite's own Temporal namespace (see SUITE_NAMESPACES). */
  get namespace(): string {
    return suiteNamespace(this.opts.name);
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  /** The development identity provider's issuer URL. */
  get idpUrl(): string {
    return `http://127.0.0.1:${this.idpPort}`;
  }

  async prepare(): Promise<void> {
    this.httpPort = await freePort();
    this.dicomPort = await freePort();
    this.hl7Port = await freePort();
    this.idpPort = await freePort();
    await resetDatabase(this.dbUrl);
    await migrate(this.dbUrl);
    const { default: Redis } = await import('ioredis');
    const redis = new Redis(this.redisUrl);
    await redis.flushdb();
    redis.disconnect();
    const demo = (await import('yaml')).parse(readFileSync(join(ROOT, 'config/krypton.yaml'), 'utf8'));
    const cfg = {
      ...demo,
      auth: withIdpPort(demo.auth, this.idpPort),
      ingest: { stableAfterSeconds: 1, indexConcurrency: 8 },
      aes: [{ aeTitle: 'MODALITY1', site: 'chu-nord' }, { aeTitle: 'MODALITY2', site: 'clinique-sud' }, ...(this.opts.aes ?? [])],
      ...(this.opts.config ?? {}),
      // No protocol routes a suite's studies unless the suite writes one here (or saves one through the API).
      routing: { protocolsDir: join(this.dir, 'protocols'), ...((this.opts.config?.routing as object | undefined) ?? {}) },
    };
    writeFileSync(this.configFile, stringify(cfg));
  }

  /** Runs `krypton <args>` (apps/cli) against this hub's configuration and database. */
  cli(args: readonly string[], timeoutMs = 120_000): SpawnSyncReturns<string> {
    return spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT,
      env: this.env(),
      encoding: 'utf8',
      timeout: timeoutMs,
    });
  }

  env(): Record<string, string> {
    return {
      ...(process.env as Record<string, string>),
      KRYPTON_CONFIG: this.configFile,
      HTTP_PORT: String(this.httpPort),
      DICOM_PORT: String(this.dicomPort),
      HL7_PORT: String(this.hl7Port),
      DATABASE_URL: this.dbUrl,
      REDIS_URL: this.redisUrl,
      STORAGE_ROOT: this.storageRoot,
      TEMPORAL_ADDRESS: this.opts.temporalAddress ?? TEST_TEMPORAL_ADDRESS,
      TEMPORAL_TASK_QUEUE: `krypton-e2e-${this.opts.name}`,
      TEMPORAL_NAMESPACE: this.namespace,
      KRYPTON_WORKFLOW_BUNDLE: WORKFLOW_BUNDLE,
      LOG_LEVEL: process.env.KRYPTON_TEST_LOG_LEVEL ?? 'warn',
      // One gateway process saves a boot per suite; the fault suite and the benchmark run the configured count.
      ...(this.opts.configuredGatewayProcesses ? {} : { DICOM_PROCESSES: '1' }),
      ...(this.opts.env ?? {}),
    };
  }

  startApp(app: HubApp, extraEnv: Record<string, string> = {}): ChildProcess {
    const log = createWriteStream(join(this.dir, `${app}.log`), { flags: 'a' });
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', `apps/${app}/src/main.ts`], {
      cwd: ROOT,
      env: { ...this.env(), ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.procs.set(app, child);
    return child;
  }

  /** Stops an app; SIGKILL kills its whole process tree at once (a gateway in cluster mode), as a crash of the host would. */
  async stopApp(app: HubApp, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.procs.get(app);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      if (signal === 'SIGKILL') for (const pid of descendants(child.pid as number)) process.kill(pid, 'SIGKILL');
      child.kill(signal);
    });
    this.procs.delete(app);
  }

  /** Starts the apps (all four by default) and, when all run, waits until /health says everything is up. */
  async start(apps: HubApp[] = ['api', 'worker', 'dicom-gateway', 'hl7-gateway']): Promise<void> {
    await this.prepare();
    for (const app of apps) this.startApp(app);
    if (apps.length === 4) await this.waitHealthy();
  }

  /** Generous: four ts-node boots take over a minute when the shared machine is loaded (load average 25-30 seen). */
  async waitHealthy(timeoutMs = 180_000): Promise<void> {
    await waitFor(`hub ${this.opts.name} healthy (logs in ${this.dir})`, async () => (await fetch(`${this.baseUrl}/health`)).status === 200, timeoutMs, 300);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.procs.keys()].map((app) => this.stopApp(app)));
  }

  async api(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, { ...init, headers: { ...ADMIN, ...(init.headers ?? {}) } });
  }

  async sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
    const c = new PgClient({ connectionString: this.dbUrl });
    await c.connect();
    try {
      return (await c.query(text, values)).rows as T[];
    } finally {
      await c.end();
    }
  }

  /** Common arguments for dcmtk tools talking to this hub. */
  scu(callingAe = 'MODALITY1'): string[] {
    return ['-aet', callingAe, '-aec', 'KRYPTON', '127.0.0.1', String(this.dicomPort)];
  }
}

/** The demo's dev identity provider, moved to the suite's own port (and the issuer the api trusts with it). */
function withIdpPort(auth: any, port: number): any {
  if (!auth?.devIdp) return auth;
  const issuer = `http://127.0.0.1:${port}`;
  const old = auth.devIdp.issuer;
  return {
    ...auth,
    devIdp: { ...auth.devIdp, port, issuer },
    issuers: (auth.issuers ?? []).map((i: any) => (i.issuer === old ? { ...i, issuer } : i)),
  };
}

function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((c) => [c, ...descendants(c)]);
}

export async function resetDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const c = new PgClient({ connectionString: u.toString() });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
}
