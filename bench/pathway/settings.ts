import { loadavg } from 'node:os';
import type { Slot } from './hub-rest';
import { ms, type Spread } from './stats';

/** The benchmark's knobs (environment) and the output helpers both parts share. */
export const PATHWAYS = Number(process.env.BENCH_PATHWAYS ?? 1000);
export const OPEN = Number(process.env.BENCH_OPEN ?? 10000);
export const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
export const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
export const STUDY_RATE = Number(process.env.BENCH_STUDY_RATE ?? 0);
export const LIST_RUNS = 20;
export const MEMORY_TARGET = 1024 * 1048576;
export const LIST_TARGET_MS = 200;
/** Generous bound for waits on the hub: a stuck pathway fails the run instead of hanging it. */
export const WAIT_LIMIT_MS = Number(process.env.BENCH_WAIT_LIMIT_SECONDS ?? 900) * 1000;

export const CHU_NORD: Slot = { site: 'chu-nord', aeTitle: 'MODALITY1' };
export const CLINIQUE_SUD: Slot = { site: 'clinique-sud', aeTitle: 'MODALITY2' };
/** Placer order numbers are unique per run, so a rerun against a kept database never answers "already received". */
export const RUN = Date.now().toString(36).toUpperCase();

export const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
export const out = (line = '') => process.stdout.write(`${line}\n`);
export const row = (label: string, value: string, note = '') => out(`  ${label.padEnd(48)} ${value.padStart(16)}  ${note}`);
export const spreadText = (s: Spread) => `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)} (n=${s.n})`;
