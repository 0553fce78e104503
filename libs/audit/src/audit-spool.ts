import { randomUUID } from 'node:crypto';
import { constants, mkdirSync, readdirSync } from 'node:fs';
import { FileHandle, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AuditRecord, AuditUnavailableError } from './audit-record';
import type { SpooledFields } from './audit-writer';

/** One spool line: a record with its id and the time of the access. */
export type SpooledRecord = AuditRecord & SpooledFields;

export interface AuditSpoolDeps {
  /** Local disk of this host; each process owns its segments, named host~pid~…. */
  readonly dir: string;
  /** Files a batch in `audit_event`, in order, skipping ids already there (AuditWriter.write). */
  insert(records: readonly SpooledRecord[]): Promise<void>;
  /** New accesses are refused while the oldest record not yet in the database is older than this. */
  readonly maxLagMs: number;
  readonly log: { warn(msg: string): void; error(msg: string): void };
}

const HOST = hostname();
const SEP = '~';
/** A segment is closed after this long (or this many records) and deleted once drained. */
const ROTATE_MS = 1000;
const MAX_RECORDS = 10_000;
const MAX_BATCH = 500;
/** Segments of processes that died are looked for this often. */
const ADOPT_EVERY_MS = 10_000;
const RETRY_MS = [50, 200, 1000, 2000];
/**
 * Records are drained into the database this long after the first of a batch was spooled (or at
 * once when a batch is full, or when a reader asks with `drained`): a commit (chain trigger, WAL
 * flush) per batch of accesses instead of one beside every request. A statement's own cost is
 * most of a small batch's (PostgreSQL's time per record of a 101-result search: 1.1–2.7 ms one
 * at a time, 0.4 ms sixteen at a time), so the wait is long enough to gather a batch at a
 * moderate load. 16 concurrent QIDO clients against the same without the audit (`bench:access`,
 * part 3; a noisy measure here): ×1.03–1.26, median ×1.21 over 15 runs at 25 ms; ×1.00–1.40,
 * median ×1.17 over 7 runs at 250 ms; single requests alike. Records are durable in the spool
 * meanwhile; the trail's readers drain their own process's first.
 */
const DRAIN_DELAY_MS = 250;
/**
 * Segments are written with O_DSYNC: one write() returns once the bytes are on disk, so the
 * flush is a single job of libuv's thread pool, done while the event loop builds the answer
 * (a write then an fdatasync were two, the second issued only once the loop was free again).
 */
const SEGMENT_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC;

/** A write may be short (a full disk): the rest is written, or the error thrown. */
async function writeAll(fh: FileHandle, bytes: Buffer): Promise<void> {
  for (let off = 0; off < bytes.length;) {
    const { bytesWritten } = await fh.write(bytes, off, bytes.length - off);
    if (bytesWritten <= 0) throw new Error('the audit spool accepts no more bytes');
    off += bytesWritten;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Segment {
  readonly name: string;
  fh: FileHandle | null;
  readonly openedAt: number;
  /** Records written to the file and not yet committed in the database. */
  outstanding: number;
  written: number;
}

interface Waiting {
  readonly records: SpooledRecord[];
  resolve(): void;
  reject(e: unknown): void;
}

interface Undrained {
  readonly record: SpooledRecord;
  readonly segment: Segment;
  readonly atMs: number;
}

/**
 * The audit's write path (issue #10: an access whose record cannot be made durable is refused,
 * and the audit may not cost a read more than 10 %). A door's record is appended to a segment
 * file of this process opened with O_DSYNC, and `write` resolves once that write returned: the
 * bytes are on disk, the durability the door waits for (one flush of the local disk, ≈0.2 ms,
 * done in libuv's thread pool while the door builds its answer, instead of a database round
 * trip, a chain lock and a WAL flush). Records that arrive while a write is under way share the
 * next one (group commit): no request issues a flush of its own. Spooled records are drained
 * into `audit_event` in batches a quarter of a second later, in spool order, by one drainer per
 * process (the hash chain is computed by the database's trigger, as before). A segment is
 * deleted once every record in it is committed; one left by a process that died (SIGKILL,
 * crash) is claimed by a live process of the host (atomic rename) and drained again: records
 * already filed are skipped by their `record_id`. Segments are named after the host name and
 * pid: processes that take over each other's spool must see the same host name (in Docker,
 * each service's `hostname:`). While the database is unreachable, records wait in the spool;
 * beyond `maxLagMs` of lag, new accesses are refused (the trail may not fall behind without
 * bound).
 */
export class AuditSpool {
  private current: Segment | null = null;
  private segmentSeq = 0;
  /** This process's files start with it; the start time tells a restarted process (same pid in a container) from its predecessor. */
  private readonly owner = [HOST, process.pid, Date.now()].join(SEP);
  private waiting: Waiting[] = [];
  private flushing = false;
  private readonly undrained: Undrained[] = [];
  private draining = false;
  private drainTimer: NodeJS.Timeout | null = null;
  private retry = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private timers: NodeJS.Timeout[] = [];
  private idle: (() => void)[] = [];
  private stopped = false;
  private adopting = false;

  constructor(private readonly deps: AuditSpoolDeps) {}

  start(): void {
    mkdirSync(this.deps.dir, { recursive: true });
    this.timers = [setInterval(() => void this.rotate(), ROTATE_MS), setInterval(() => void this.adopt(), ADOPT_EVERY_MS)];
    for (const t of this.timers) t.unref();
    void this.adopt();
  }

  /** Resolves once the records are on disk (O_DSYNC write); rejects with AuditUnavailableError otherwise. */
  write(records: AuditRecord | readonly AuditRecord[]): Promise<void> {
    const list = Array.isArray(records) ? (records as AuditRecord[]) : [records as AuditRecord];
    if (!list.length) return Promise.resolve();
    if (this.stopped) return Promise.reject(new AuditUnavailableError(new Error('the audit spool is closed')));
    const oldest = this.undrained[0];
    if (oldest && Date.now() - oldest.atMs > this.deps.maxLagMs) {
      return Promise.reject(new AuditUnavailableError(new Error(`the audit database is ${Math.round((Date.now() - oldest.atMs) / 1000)} s behind`)));
    }
    const at = new Date().toISOString();
    const spooled = list.map((r) => ({ ...r, recordId: randomUUID(), at }));
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ records: spooled, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** Resolves once every record written so far is in the database (or after `timeoutMs`). */
  drained(timeoutMs = 5000): Promise<boolean> {
    if (!this.undrained.length && !this.waiting.length && !this.flushing) return Promise.resolve(true);
    void this.drain();
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.idle.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }

  /** Records on disk and not yet in the database (this process's, adopted ones excluded). */
  backlog(): number {
    return this.undrained.length;
  }

  /** Drains what it can within `timeoutMs`; what is left stays on disk for the next process. */
  async stop(timeoutMs = 5000): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await this.drained(timeoutMs);
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.drainTimer) clearTimeout(this.drainTimer);
    await this.current?.fh?.close().catch(() => undefined);
    if (this.current && this.current.outstanding === 0) await unlink(join(this.deps.dir, this.current.name)).catch(() => undefined);
    this.current = null;
  }

  private async segment(): Promise<Segment> {
    if (!this.current || this.current.written >= MAX_RECORDS) {
      await this.close(this.current);
      const name = [this.owner, this.segmentSeq++].join(SEP) + '.jsonl';
      const seg: Segment = { name, fh: null, openedAt: Date.now(), outstanding: 0, written: 0 };
      seg.fh = await open(join(this.deps.dir, name), SEGMENT_FLAGS, 0o640);
      this.current = seg;
    }
    return this.current;
  }

  /** Group commit: one synchronous write for every record handed in meanwhile. */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.length) {
        const batch = this.waiting;
        this.waiting = [];
        const records = batch.flatMap((w) => w.records);
        let seg: Segment;
        try {
          // Without a new segment to open, the write is issued in this very tick: it runs in
          // the thread pool while the caller goes on building its answer.
          seg = this.current && this.current.written < MAX_RECORDS ? this.current : await this.segment();
          await writeAll(seg.fh!, Buffer.from(records.map((r) => JSON.stringify(r) + '\n').join(''), 'utf8'));
        } catch (e) {
          const err = new AuditUnavailableError(e);
          for (const w of batch) w.reject(err);
          continue;
        }
        seg.written += records.length;
        seg.outstanding += records.length;
        const atMs = Date.now();
        for (const record of records) this.undrained.push({ record, segment: seg, atMs });
        this.scheduleDrain();
        for (const w of batch) w.resolve();
      }
    } finally {
      this.flushing = false;
      this.notifyIdle();
    }
  }

  private scheduleDrain(): void {
    if (this.undrained.length >= MAX_BATCH) void this.drain();
    else if (!this.drainTimer && !this.draining) {
      this.drainTimer = setTimeout(() => void this.drain(), DRAIN_DELAY_MS);
      this.drainTimer.unref();
    }
  }

  private async drain(): Promise<void> {
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = null;
    if (this.draining || this.retryTimer) return;
    this.draining = true;
    try {
      while (this.undrained.length) {
        const batch = this.undrained.slice(0, MAX_BATCH);
        try {
          await this.deps.insert(batch.map((u) => u.record));
        } catch (e) {
          const wait = RETRY_MS[Math.min(this.retry++, RETRY_MS.length - 1)];
          if (this.retry === 1) this.deps.log.warn(`audit records wait in the spool: ${(e as Error).message}`);
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            void this.drain();
          }, wait);
          this.retryTimer.unref();
          return;
        }
        this.retry = 0;
        this.undrained.splice(0, batch.length);
        for (const u of batch) u.segment.outstanding--;
        for (const seg of new Set(batch.map((u) => u.segment))) if (seg !== this.current && seg.outstanding === 0) await this.remove(seg);
      }
    } finally {
      this.draining = false;
      this.notifyIdle();
    }
  }

  private notifyIdle(): void {
    if (this.undrained.length || this.waiting.length || this.flushing || this.draining) return;
    const idle = this.idle;
    this.idle = [];
    for (const f of idle) f();
  }

  private async rotate(): Promise<void> {
    const c = this.current;
    if (!c || this.flushing || Date.now() - c.openedAt < ROTATE_MS || c.written === 0) return;
    this.current = null;
    await this.close(c);
  }

  private async close(seg: Segment | null): Promise<void> {
    if (!seg) return;
    await seg.fh?.close().catch(() => undefined);
    seg.fh = null;
    if (seg.outstanding === 0) await this.remove(seg);
  }

  private async remove(seg: Segment): Promise<void> {
    if (seg.fh) return; // still open: removed when closed
    await unlink(join(this.deps.dir, seg.name)).catch(() => undefined);
  }

  /** Claims the segments of processes of this host that are gone, and drains them into the database. */
  private async adopt(): Promise<void> {
    if (this.adopting || this.stopped) return;
    this.adopting = true;
    try {
      await this.adoptOnce();
    } finally {
      this.adopting = false;
    }
  }

  private async adoptOnce(): Promise<void> {
    let names: string[];
    try {
      names = readdirSync(this.deps.dir).filter((n) => n.endsWith('.jsonl'));
    } catch {
      return;
    }
    const adopted = [this.owner, 'adopted', ''].join(SEP);
    for (const name of names) {
      if (name.startsWith(this.owner + SEP)) continue;
      const [host, pid] = name.split(SEP);
      if (host !== HOST || (Number(pid) !== process.pid && isAlive(Number(pid)))) continue;
      // The rename makes this process the owner: if it dies too, the next one adopts the file.
      const claimed = adopted + name;
      try {
        await rename(join(this.deps.dir, name), join(this.deps.dir, claimed));
      } catch {
        continue; // another process claimed it first
      }
      await this.drainFile(claimed);
    }
    // Files this process claimed earlier and could not drain then (database down).
    for (const name of names) if (name.startsWith(adopted)) await this.drainFile(name);
  }

  private async drainFile(name: string): Promise<void> {
    const path = join(this.deps.dir, name);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return;
    }
    const records: SpooledRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        records.push(JSON.parse(line));
      } catch {
        // A cut line is the one being written when the process died: it was never acknowledged.
        this.deps.log.warn(`unreadable line in audit spool ${name} skipped`);
      }
    }
    try {
      for (let i = 0; i < records.length; i += MAX_BATCH) await this.deps.insert(records.slice(i, i + MAX_BATCH));
      await unlink(path);
      this.deps.log.warn(`audit spool ${name} of a process that is gone: ${records.length} records checked into the trail`);
    } catch (e) {
      this.deps.log.warn(`audit spool ${name} kept for later: ${(e as Error).message}`);
    }
  }
}
