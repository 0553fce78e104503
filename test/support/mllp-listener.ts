import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_DATA_DIR } from './env';

/** What mllp-listener.py recorded of one message (parsed and unescaped by python3-hl7). */
export interface ReceivedHl7 {
  readonly controlId: string;
  readonly messageType: string;
  /** OBR-2.1 / OBR-3.1 */
  readonly placerOrder: string;
  readonly fillerOrder: string;
  readonly obx: readonly { readonly setId: string; readonly type: string; readonly id: string; readonly subId: string; readonly value: string }[];
  /** What the listener answered: AA, AE, or none (it closed the connection). */
  readonly answer: 'AA' | 'AE' | 'none';
  /** The message text as decoded by the listener (CR between segments). */
  readonly raw: string;
}

export interface ListenerOptions {
  /** Answer AE to this many messages first, then AA. */
  readonly aeFirst?: number;
  /** Close the connection after each message instead of answering. */
  readonly closeWithoutAck?: boolean;
}

/**
 * A real HL7 receiver (Debian's python3-hl7 under /usr/bin/python3: the `python3` on PATH may be
 * another interpreter without it), started per test and stopped by its pid.
 */
export class MllpListener {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly record: string,
  ) {}

  static async start(opts: ListenerOptions = {}): Promise<MllpListener> {
    mkdirSync(TEST_DATA_DIR, { recursive: true });
    const record = join(mkdtempSync(join(TEST_DATA_DIR, 'mllp-listener-')), 'received.jsonl');
    const args = [join(__dirname, 'mllp-listener.py'), '--record', record];
    if (opts.aeFirst) args.push('--ae-first', String(opts.aeFirst));
    if (opts.closeWithoutAck) args.push('--close-without-ack');
    const child = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`mllp-listener.py did not start: ${stderr}`)), 10_000);
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /LISTENING (\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`mllp-listener.py exited with ${code}: ${stderr}`));
      });
    });
    return new MllpListener(child, port, record);
  }

  /** Messages received so far, oldest first. */
  received(): ReceivedHl7[] {
    if (!existsSync(this.record)) return [];
    return readFileSync(this.record, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
