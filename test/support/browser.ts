import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser } from 'playwright-core';
import { dcmtk } from './dcmtk';
import { ROOT } from './env';
import { Hub } from './hub';
import { waitFor } from './wait-for';

/** Debian's Chromium, headless, with nothing of its own going to the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A synthetic CT study (bench/generate-ct.py) sent to the hub by storescu and indexed; returns its Study Instance UID. */
export async function storeSyntheticCt(hub: Hub, slices: number, seed: number, patientId: string): Promise<string> {
  const dir = join(hub.dir, `ct-${patientId}`);
  const studyUid = execFileSync(join(ROOT, 'bench/generate-ct.py'), [dir, String(slices), '--seed', String(seed), '--patient-id', patientId], { encoding: 'utf8' }).trim();
  const sent = dcmtk('storescu', [...hub.scu(), ...readdirSync(dir).map((f) => join(dir, f))]);
  if (sent.status !== 0) throw new Error(`storescu failed: ${sent.stderr}`);
  await waitFor('study indexed', async () => (await hub.sql('SELECT 1 FROM study WHERE study_uid = $1', [studyUid])).length === 1);
  return studyUid;
}
