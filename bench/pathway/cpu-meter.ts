import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_DATA_DIR } from '../../test/support/env';
import type { Hub } from '../../test/support/hub';

const TICKS = Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;

/** CPU time (user + system, seconds) a process has used so far, or null once it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, utime 14 and stime 15 (proc(5)).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS;
  } catch {
    return null;
  }
}

/**
 * CPU seconds used by named processes between start and `read()`: on two shared cores this tells
 * which process a phase was waiting on (the worker, the API or the Temporal server).
 */
export class CpuMeter {
  private readonly start: Map<string, number>;
  private readonly t0 = performance.now();

  constructor(private readonly pids: Record<string, number | undefined>) {
    this.start = new Map(Object.entries(pids).flatMap(([name, pid]) => (pid ? [[name, cpuSeconds(pid) ?? 0]] : [])));
  }

  /** "worker 52 s, api 20 s, temporal 140 s over 95 s" (CPU seconds over wall seconds). */
  read(): string {
    const wall = (performance.now() - this.t0) / 1000;
    const used = [...this.start].map(([name, s0]) => `${name} ${((cpuSeconds(this.pids[name]!) ?? s0) - s0).toFixed(0)} s`);
    return `${used.join(', ')} (CPU) over ${wall.toFixed(0)} s`;
  }
}

/** The processes whose CPU time is accounted per phase (the Temporal dev server when global-setup started it). */
export function hubProcesses(hub: Hub): Record<string, number | undefined> {
  const pidFile = join(TEST_DATA_DIR, 'temporal.pid');
  return {
    worker: hub.procs.get('worker')?.pid,
    api: hub.procs.get('api')?.pid,
    temporal: existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined,
    bench: process.pid,
  };
}
