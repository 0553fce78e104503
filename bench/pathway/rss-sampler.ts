import { readFileSync } from 'node:fs';

/** Resident set size of a process in bytes (VmRSS), or null once the process is gone. */
export function rssOf(pid: number): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Samples a process's VmRSS every `everyMs` and keeps the peak. /proc is read directly: the
 * worker is a child of the hub harness and has no metrics endpoint of its own.
 */
export class RssSampler {
  private peakBytes = 0;
  private timer: NodeJS.Timeout;

  constructor(
    readonly pid: number,
    everyMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  get peak(): number {
    return this.peakBytes;
  }

  /** Forgets the peak so far (a new phase starts measuring from now). */
  resetPeak(): void {
    this.peakBytes = 0;
    this.sample();
  }

  current(): number {
    return rssOf(this.pid) ?? 0;
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peakBytes;
  }

  private sample(): void {
    const rss = rssOf(this.pid);
    if (rss !== null) this.peakBytes = Math.max(this.peakBytes, rss);
  }
}
