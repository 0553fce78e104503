import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TEST_TEMPORAL_ADDRESS } from './env';

export const HISTORIES_DIR = join(ROOT, 'test/histories');

/**
 * With KRYPTON_RECORD_HISTORIES=1, the end-to-end suites save the histories of the workflows they
 * ran (through the Temporal CLI, whose JSON is the format replay reads); the replay test then
 * proves today's workflow code still replays them deterministically.
 */
export async function recordHistory(workflowId: string, name: string, namespace: string): Promise<void> {
  if (process.env.KRYPTON_RECORD_HISTORIES !== '1') return;
  const json = execFileSync('temporal', ['workflow', 'show', '--address', TEST_TEMPORAL_ADDRESS, '--namespace', namespace, '-w', workflowId, '-o', 'json'], { encoding: 'utf8' });
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), json);
}
