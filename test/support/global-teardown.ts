import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_DATA_DIR } from './env';

/** Stops the servers global-setup started (each named by its pid file). */
export default async function globalTeardown(): Promise<void> {
  for (const name of ['temporal', 'redis']) {
    const pidFile = join(TEST_DATA_DIR, `${name}.pid`);
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8'));
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(pidFile, { force: true });
  }
}
