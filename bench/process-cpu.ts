/**
 * CPU time of the processes a benchmark phase involves, read from /proc (user + system, clock
 * ticks of 10 ms), so that a phase can be reported as CPU milliseconds per instance and per
 * process. On a 2-core host the sum over every process (gateway, worker, api, PostgreSQL, Redis,
 * the senders) is what bounds parallel throughput; wall time alone does not say where it goes.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // getconf CLK_TCK is 100 on Linux (x86-64 and arm64)

/** User and system time (ms). */
export interface Cpu {
  readonly user: number;
  readonly system: number;
}

/** utime and stime of a process (ms): its own, or that of the children it has waited for (exited ones). */
export function processCpu(pid: number, of: 'self' | 'exited-children' = 'self'): Cpu {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // f[0] is field 3 (state): utime 14, stime 15, cutime 16, cstime 17.
    const [u, s] = of === 'self' ? [f[11], f[12]] : [f[13], f[14]];
    return { user: Number(u) * TICK_MS, system: Number(s) * TICK_MS };
  } catch {
    return { user: 0, system: 0 }; // gone
  }
}

/** The process and its descendants (a gateway in cluster mode is a primary and its workers). */
export function processTree(pid: number): number[] {
  const out = [pid];
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    for (const c of children) out.push(...processTree(c));
  } catch {
    // gone
  }
  return out;
}

/** Processes whose command line (as `ps` shows it, arguments joined by spaces) passes `test`. */
export function processesWhere(test: (cmdline: string) => boolean): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'latin1').replace(/\0+$/, '').replace(/\0/g, ' ');
      if (test(cmd)) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

/** A named set of processes, listed again at each reading (connections come and go). */
export interface CpuGroup {
  readonly name: string;
  pids(): number[];
  /** Count the exited children the processes have waited for instead (the bench's own storescu). */
  readonly of?: 'self' | 'exited-children';
}

export type CpuReading = Map<string, Cpu>;

export function readCpu(groups: readonly CpuGroup[]): CpuReading {
  const out: CpuReading = new Map();
  for (const g of groups) {
    const all = g.pids().map((pid) => processCpu(pid, g.of));
    out.set(g.name, { user: all.reduce((n, c) => n + c.user, 0), system: all.reduce((n, c) => n + c.system, 0) });
  }
  return out;
}

/** CPU spent per group between two readings (a process that ended in between is not counted). */
export function cpuSince(groups: readonly CpuGroup[], before: CpuReading): CpuReading {
  const now = readCpu(groups);
  const out: CpuReading = new Map();
  for (const [name, c] of now) {
    const b = before.get(name) ?? { user: 0, system: 0 };
    out.set(name, { user: Math.max(0, c.user - b.user), system: Math.max(0, c.system - b.system) });
  }
  return out;
}

/** PostgreSQL backends serving one database (their process title names it). */
export function postgresBackendsOf(database: string): CpuGroup {
  return { name: 'postgres', pids: () => processesWhere((c) => c.startsWith('postgres: ') && c.split(' ').includes(database)) };
}

/** The cluster's own processes (WAL writer, checkpointer...): shared with whatever else writes. */
export const POSTGRES_BACKGROUND: CpuGroup = {
  name: 'pg bg',
  pids: () => processesWhere((c) => /^postgres: \S+: (walwriter|checkpointer|background writer|autovacuum)/.test(c)),
};

/** The storescu processes this benchmark ran and waited for (dcmtk's sending side). */
export const SENDERS: CpuGroup = { name: 'storescu', pids: () => [process.pid], of: 'exited-children' };

/** The Redis server on a port (the hub's BullMQ queues). */
export function redisServer(port: number): CpuGroup {
  return { name: 'redis', pids: () => processesWhere((c) => /redis-server/.test(c) && c.includes(`:${port}`)) };
}
