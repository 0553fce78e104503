import { spawn, execSync } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { bundleWorkflows } from '../../scripts/bundle-workflows';
import { SUITE_NAMESPACES, TEST_DATA_DIR, TEST_REDIS_PORT, TEST_TEMPORAL_ADDRESS, WORKFLOW_BUNDLE } from './env';

function reachable(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const s = connect({ host, port: Number(port) }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

async function waitReachable(address: string, what: string, log: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await reachable(address))) {
    if (Date.now() > deadline) throw new Error(`${what} did not start on ${address}; see ${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The checkout's own Redis server: in memory only, like the one CI provides, on a port of its own. */
async function startRedis(): Promise<void> {
  const address = `127.0.0.1:${TEST_REDIS_PORT}`;
  if (await reachable(address)) return;
  const redis = execSync('command -v redis-server', { encoding: 'utf8' }).trim();
  const log = join(TEST_DATA_DIR, 'redis.log');
  // 32 databases: the suites use 0-15 already, and stow-destinations runs a second hub beside its own (16).
  const child = spawn(redis, ['--bind', '127.0.0.1', '--port', String(TEST_REDIS_PORT), '--save', '', '--appendonly', 'no', '--databases', '32', '--logfile', log, '--dir', TEST_DATA_DIR], {
    stdio: 'ignore',
    detached: true,
  });
  child.unref();
  writeFileSync(join(TEST_DATA_DIR, 'redis.pid'), String(child.pid));
  await waitReachable(address, "the suites' Redis server", log);
}

/**
 * Starts what every end-to-end suite shares: a Temporal dev server and a Redis server (their own
 * ports, so a developer's running hub and other checkouts are not disturbed) and the prebuilt
 * workflow bundle.
 */
export default async function globalSetup(): Promise<void> {
  mkdirSync(TEST_DATA_DIR, { recursive: true });
  process.env.KRYPTON_WORKFLOW_BUNDLE = WORKFLOW_BUNDLE;
  await bundleWorkflows(WORKFLOW_BUNDLE);
  await startRedis();
  if (!(await reachable(TEST_TEMPORAL_ADDRESS))) {
    const temporal = execSync('command -v temporal', { encoding: 'utf8' }).trim();
    const [host, port] = TEST_TEMPORAL_ADDRESS.split(':');
    const db = join(TEST_DATA_DIR, 'temporal.db');
    rmSync(db, { force: true });
    const out = openSync(join(TEST_DATA_DIR, 'temporal.log'), 'w');
    const child = spawn(
      temporal,
      [
        'server',
        'start-dev',
        '--headless',
        '--ip',
        host,
        '--port',
        port,
        '--ui-port',
        String(Number(port) + 1000),
        '--db-filename',
        db,
        '--log-level',
        'error',
        ...SUITE_NAMESPACES.flatMap((ns) => ['--namespace', ns]),
      ],
      { stdio: ['ignore', out, out], detached: true },
    );
    child.unref();
    writeFileSync(join(TEST_DATA_DIR, 'temporal.pid'), String(child.pid));
    await waitReachable(TEST_TEMPORAL_ADDRESS, 'Temporal dev server', `${TEST_DATA_DIR}/temporal.log`);
  }
  process.env.KRYPTON_TEST_TEMPORAL_ADDRESS = TEST_TEMPORAL_ADDRESS;
}
