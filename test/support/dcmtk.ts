import { spawnSync, spawn, ChildProcess } from 'node:child_process';

export interface ToolResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a dcmtk tool; TCP_NODELAY=1 keeps dcmtk from waiting on delayed ACKs. */
export function dcmtk(tool: string, args: string[], timeoutMs = 60_000): ToolResult {
  const r = spawnSync(tool, args, { encoding: 'latin1', env: { ...process.env, TCP_NODELAY: '1' }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** dcmtk storescp as a C-MOVE destination, writing what it receives into `dir`. */
export function startStorescp(aeTitle: string, port: number, dir: string): ChildProcess {
  return spawn('storescp', ['-aet', aeTitle, '-od', dir, '--sort-on-study-uid', 'st', String(port)], {
    stdio: 'ignore',
    env: { ...process.env, TCP_NODELAY: '1' },
  });
}

/** The attributes dcmtk's findscu printed, one object per matched identifier. */
export function findResults(out: string): Record<string, string>[] {
  const blocks = out.split(/Find Response: \d+ \(Pending\)/).slice(1);
  return blocks.map((b) => {
    const rec: Record<string, string> = {};
    for (const m of b.matchAll(/\(([0-9a-f]{4}),([0-9a-f]{4})\) \w\w (?:\[([^\]]*)\]|\(no value available\))\s+#\s*\d+,\s*\d+\s+(\w+)/g)) rec[m[4]] = (m[3] ?? '').replace(/[\s\0]+$/, '');
    return rec;
  });
}
