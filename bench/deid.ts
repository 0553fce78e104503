/**
 * `npm run bench:deid`: de-identification throughput, Krypton's engine (libs/deid) beside
 * Orthanc's own anonymization (`POST /instances/{id}/anonymize`, Orthanc from Debian), over the
 * same files — the shared images and dose reports — each processed BENCH_ROUNDS times (20).
 * Both sides read nothing from the network that the other does not: Krypton reads each file and
 * writes its output file; Orthanc gets each file uploaded once beforehand (not timed) and each
 * anonymized file it returns is written to disk. One request at a time on Orthanc's side, one
 * object at a time on Krypton's, interleaved file by file. Files Orthanc refuses are left out of
 * both sides.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_OPTIONS, DeidInputError, Part10Deidentifier } from '@krypton/deid';
import { OrthancPeer } from '../test/support/orthanc';
import { freePort } from '../test/support/ports';

const DATA = join(__dirname, '../../shared/data');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

async function main(): Promise<void> {
  const files = ['images', 'rdsr'].flatMap((d) =>
    readdirSync(join(DATA, d))
      .filter((f) => f.endsWith('.dcm'))
      .map((f) => join(DATA, d, f)),
  );
  const work = mkdtempSync(join(tmpdir(), 'krypton-bench-deid-'));
  const orthanc = new OrthancPeer(join(work, 'orthanc'), await freePort(), await freePort());
  await orthanc.start();
  try {
    const accepted: { file: string; id: string }[] = [];
    for (const file of files) {
      const res = await fetch(`${orthanc.url}/instances`, { method: 'POST', body: readFileSync(file) });
      if (res.ok) accepted.push({ file, id: ((await res.json()) as { ID: string }).ID });
      else process.stderr.write(`Orthanc refused ${file} (${res.status}): left out of both sides\n`);
    }
    const engine = new Part10Deidentifier({ secret: Buffer.alloc(32, 0x5a), options: DEFAULT_OPTIONS });
    const kryptonOut = join(work, 'krypton');
    const orthancOut = join(work, 'orthanc-out');
    for (const dir of [kryptonOut, orthancOut]) rmSync(dir, { recursive: true, force: true });
    mkdirSync(kryptonOut);
    mkdirSync(orthancOut);

    // Interleaved per file (Krypton, then Orthanc, on the same file), each side timed apart: on a
    // machine shared with other work, load changes during a run hit both sides alike.
    const k = { n: 0, quarantined: 0, secs: 0 };
    const o = { n: 0, secs: 0 };
    const one = async (file: string, id: string, timed: boolean) => {
      let t0 = performance.now();
      try {
        const outcome = engine.deidentify(readFileSync(file));
        if (outcome.status === 'exported') writeFileSync(join(kryptonOut, `${k.n % accepted.length}.dcm`), outcome.part10);
        else if (timed) k.quarantined++;
      } catch (error) {
        if (!(error instanceof DeidInputError)) throw error;
      }
      if (timed) {
        k.secs += (performance.now() - t0) / 1000;
        k.n++;
      }
      t0 = performance.now();
      const res = await fetch(`${orthanc.url}/instances/${id}/anonymize`, { method: 'POST', body: '{}' });
      if (!res.ok) throw new Error(`Orthanc anonymize ${id}: ${res.status}`);
      writeFileSync(join(orthancOut, `${o.n % accepted.length}.dcm`), Buffer.from(await res.arrayBuffer()));
      if (timed) {
        o.secs += (performance.now() - t0) / 1000;
        o.n++;
      }
    };
    for (const { file, id } of accepted) await one(file, id, false); // warm-up (JIT, page cache)
    for (let r = 0; r < ROUNDS; r++) for (const { file, id } of accepted) await one(file, id, true);
    const kRate = k.n / k.secs;
    const oRate = o.n / o.secs;
    const rows = [
      ['Krypton libs/deid', `${kRate.toFixed(1)} instances/s`, `${k.n} instances in ${k.secs.toFixed(2)} s (${k.quarantined} quarantined)`],
      ['Orthanc /anonymize', `${oRate.toFixed(1)} instances/s`, `${o.n} instances in ${o.secs.toFixed(2)} s`],
      ['Ratio Krypton / Orthanc', `${(kRate / oRate).toFixed(2)}`, `target >= 1.0: ${kRate / oRate >= 1 ? 'met' : 'NOT met'}`],
    ];
    process.stdout.write(`bench:deid — ${accepted.length} files (shared images + dose reports) × ${ROUNDS}\n`);
    for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(26)} ${b.padEnd(20)} ${c}\n`);
  } finally {
    await orthanc.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
