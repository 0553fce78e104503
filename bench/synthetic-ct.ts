import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../test/support/env';

/**
 * A synthetic CT study of `count` instances under data/bench (generated once, then reused); each
 * seed is another study (other UIDs, another patient).
 */
export function syntheticCt(count: number, say: (m: string) => void, seed = 42): { dir: string; studyUid: string; files: string[] } {
  const dir = join(ROOT, 'data/bench', seed === 42 ? `ct-${count}` : `ct-${count}-seed${seed}`);
  const uidFile = join(dir, 'study-uid.txt');
  const list = () =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.dcm'))
      .sort()
      .map((f) => join(dir, f));
  if (existsSync(uidFile) && list().length === count) return { dir, studyUid: readFileSync(uidFile, 'utf8').trim(), files: list() };
  rmSync(dir, { recursive: true, force: true });
  say(`generating ${count} synthetic CT instances (seed ${seed})`);
  const patientId = seed === 42 ? 'BENCH-0001' : `BENCH-${seed}`;
  const studyUid = execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, String(count), '--seed', String(seed), '--patient-id', patientId], { encoding: 'utf8' }).trim();
  writeFileSync(uidFile, studyUid);
  return { dir, studyUid, files: list() };
}
