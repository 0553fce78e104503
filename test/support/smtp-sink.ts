import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { freePort } from './ports';
import { waitFor } from './wait-for';

/** A message as the SMTP server received it, decoded (MIME, quoted-printable, RFC 2047 headers). */
export interface ReceivedMail {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Python's email package decodes what nodemailer encoded: the test reads what a mail client would show. */
const READ_MAILDIR = `
import json, mailbox, sys
from email import policy
out = []
for key, msg in sorted(mailbox.Maildir(sys.argv[1], factory=None, create=False).items()):
    m = __import__('email').message_from_bytes(msg.as_bytes(), policy=policy.default)
    body = m.get_body(preferencelist=('plain',))
    out.append({'from': str(m['from']), 'to': str(m['to']), 'subject': str(m['subject']), 'text': body.get_content() if body else ''})
print(json.dumps(out))
`;

/**
 * A real SMTP server on loopback: Debian's aiosmtpd (python3-aiosmtpd, installed by
 * scripts/lib.sh ensure_test_peers) with its Maildir handler.
 */
export class SmtpSink {
  port = 0;
  readonly maildir: string;
  private proc: ChildProcess | null = null;

  constructor(dir: string) {
    this.maildir = join(mkdtempSync(join(dir, 'smtp-')), 'Maildir');
  }

  /** Starts the server; again after `stop()` it listens on the same port (a relay back up). */
  async start(): Promise<void> {
    if (this.proc) return;
    if (!this.port) this.port = await freePort();
    this.proc = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${this.port}`, '-c', 'aiosmtpd.handlers.Mailbox', this.maildir], { stdio: 'ignore' });
    await waitFor(
      'aiosmtpd listening',
      () =>
        new Promise<boolean>((resolve) => {
          const s = createConnection(this.port, '127.0.0.1', () => (s.end(), resolve(true)));
          s.on('error', () => resolve(false));
        }),
      15_000,
      100,
    );
  }

  messages(): ReceivedMail[] {
    const r = spawnSync('/usr/bin/python3', ['-c', READ_MAILDIR, this.maildir], { encoding: 'utf8' });
    if (r.status !== 0) return [];
    return JSON.parse(r.stdout) as ReceivedMail[];
  }

  async waitFor(what: string, match: (m: ReceivedMail) => boolean, timeoutMs = 30_000): Promise<ReceivedMail> {
    let found: ReceivedMail | undefined;
    await waitFor(what, async () => !!(found = this.messages().find(match)), timeoutMs, 200);
    return found as ReceivedMail;
  }

  /** Stops the server and waits until its port refuses connections (a relay down). */
  async stop(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill();
    });
  }
}
