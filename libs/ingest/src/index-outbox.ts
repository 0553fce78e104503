import { closeSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { IndexItem } from '@krypton/queue';

/** One journal line: an item to index and when its object was stored (ms since the epoch). */
export interface OutboxLine {
  readonly item: IndexItem;
  readonly at: number;
}

export interface OutboxDeps {
  readonly dir: string;
  /** Hands items to the indexer (BullMQ); a job id makes a re-drive of one segment a single job. */
  enqueue(items: readonly IndexItem[], jobId?: string): Promise<void>;
  /** Which of these instances the catalogue holds, indexed at or after `since` (replacements). */
  indexed(items: readonly { readonly sopInstanceUid: string; readonly since: number | null }[]): Promise<Set<string>>;
  /** A segment not fully indexed this long after it was closed is handed to the indexer again. */
  readonly redriveAfterMs: number;
  readonly log: { log(msg: string): void; warn(msg: string): void; error(msg: string): void };
}

interface ClosedSegment {
  lines: number | null;
  closedAt: number;
  redrivenAt: number;
  redrives: number;
}

/** A segment is closed this often (or at MAX_LINES), then checked against the catalogue. */
const ROTATE_MS = 1000;
const MAX_LINES = 5000;
/** Segments left by processes that died are looked for this often. */
const ADOPT_EVERY_MS = 10_000;
const HOST = hostname();
const SEP = '~';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/**
 * The durable hand-off between "stored" and "indexed". Before the sender is told Success, the
 * object's index item is appended to a journal segment owned by this process (one `write` to
 * the page cache, which outlives the process: SIGKILL loses nothing). Segments rotate every
 * second; a closed segment is deleted only once the catalogue holds every instance it names, and
 * handed to the indexer again (`redriveAfterMs`, then as often) until it does, whatever happened
 * to the queue (Redis restarted, jobs dropped, PostgreSQL down for hours). Segments of a process
 * that died are adopted by any live ingesting process on the same host.
 *
 * Choice and cost (docs/architecture.md): a PostgreSQL row per object would put a database round
 * trip and a WAL flush on the sender's critical path, and a start-up sweep of storage against the
 * index walks every object of the archive; the journal costs one small write per object.
 */
export class IndexOutbox {
  private current: { name: string; fd: number; lines: number } | null = null;
  private readonly closed = new Map<string, ClosedSegment>();
  private seq = 0;
  private readonly startedAt = Date.now();
  private timers: NodeJS.Timeout[] = [];
  private verifying = false;

  constructor(private readonly deps: OutboxDeps) {}

  start(): void {
    mkdirSync(this.deps.dir, { recursive: true });
    this.adopt();
    this.timers = [
      setInterval(() => {
        this.rotate();
        void this.verify();
      }, ROTATE_MS),
      setInterval(() => this.adopt(), ADOPT_EVERY_MS),
    ];
    for (const t of this.timers) t.unref();
  }

  /** Synchronous on purpose: the line must be written before the caller answers the sender. */
  append(item: IndexItem, at = Date.now()): void {
    if (!this.current) {
      const name = [HOST, process.pid, this.startedAt, this.seq++].join(SEP) + '.jsonl';
      this.current = { name, fd: openSync(join(this.deps.dir, name), 'a'), lines: 0 };
    }
    writeSync(this.current.fd, JSON.stringify({ item, at } satisfies OutboxLine) + '\n');
    this.current.lines++;
    if (this.current.lines >= MAX_LINES) this.rotate();
  }

  /** Objects stored by this process (or adopted from a dead one) and not yet seen in the catalogue. */
  backlog(): number {
    let n = this.current?.lines ?? 0;
    for (const s of this.closed.values()) n += s.lines ?? 0;
    return n;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.rotate();
  }

  private rotate(): void {
    const c = this.current;
    if (!c || c.lines === 0) return;
    closeSync(c.fd);
    this.current = null;
    this.closed.set(c.name, { lines: c.lines, closedAt: Date.now(), redrivenAt: 0, redrives: 0 });
  }

  /** Takes over the segments of processes of this host that are gone. */
  private adopt(): void {
    let names: string[];
    try {
      names = readdirSync(this.deps.dir).filter((n) => n.endsWith('.jsonl'));
    } catch {
      return;
    }
    for (const name of names) {
      if (this.closed.has(name) || name === this.current?.name) continue;
      const [host, pid] = name.split(SEP);
      if (host !== HOST || isAlive(Number(pid))) continue;
      this.deps.log.log(`adopting index journal ${name} of a process that is gone`);
      // closedAt 0: checked at once, and handed to the indexer again at once if incomplete.
      this.closed.set(name, { lines: null, closedAt: 0, redrivenAt: 0, redrives: 0 });
    }
  }

  /** Checks closed segments against the catalogue; deletes the complete ones, re-drives the others. */
  async verify(): Promise<void> {
    if (this.verifying) return;
    this.verifying = true;
    try {
      const now = Date.now();
      for (const [name, seg] of this.closed) {
        if (now - seg.closedAt < ROTATE_MS) continue;
        const lines = await this.read(name);
        if (lines === null) {
          this.closed.delete(name);
          continue;
        }
        seg.lines = lines.length;
        const indexed = await this.deps.indexed(lines.map((l) => ({ sopInstanceUid: l.item.rec.sopInstanceUid, since: l.item.replace ? l.at : null })));
        const missing = lines.filter((l) => !indexed.has(l.item.rec.sopInstanceUid));
        if (missing.length === 0) {
          await unlink(join(this.deps.dir, name)).catch(() => undefined);
          this.closed.delete(name);
          continue;
        }
        if (now - seg.closedAt >= this.deps.redriveAfterMs && now - seg.redrivenAt >= this.deps.redriveAfterMs) {
          seg.redrivenAt = now;
          seg.redrives++;
          this.deps.log.warn(`${missing.length} stored instances of ${name} not indexed yet; handing them to the indexer again (time ${seg.redrives})`);
          await this.deps.enqueue(
            missing.map((l) => l.item),
            `redrive-${name.replace(/[^A-Za-z0-9]/g, '_')}`,
          );
        }
      }
    } catch (e) {
      // PostgreSQL or Redis unreachable: the segments stay, the next round tries again.
      this.deps.log.warn(`index journal check postponed: ${e.message}`);
    } finally {
      this.verifying = false;
    }
  }

  private async read(name: string): Promise<OutboxLine[] | null> {
    let text: string;
    try {
      text = await readFile(join(this.deps.dir, name), 'utf8');
    } catch (e) {
      if (e.code === 'ENOENT') return null; // another process adopted and finished it
      throw e;
    }
    const out: OutboxLine[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        // Only a machine crash cuts a line (a killed process does not interrupt a write).
        this.deps.log.warn(`unreadable line in index journal ${name} skipped`);
      }
    }
    return out;
  }
}
