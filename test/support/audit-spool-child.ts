/**
 * A process that audits as fast as it can (the audit-spool suite kills it with SIGKILL): 16
 * concurrent writers through AuditSpool against the suite's PostgreSQL; prints `ack <id>` for
 * each record once `write` resolved, i.e. once the access it stands for could have been served.
 * argv: database url, spool dir.
 */
import { Pool } from 'pg';
import { AuditSpool, AuditWriter } from '@krypton/audit';

const [url, dir] = process.argv.slice(2);
const pool = new Pool({ connectionString: url, max: 2 });
const writer = new AuditWriter((text, values) => pool.query(text, values as unknown[]));
const spool = new AuditSpool({ dir, insert: (r) => writer.write(r), maxLagMs: 600_000, log: { warn: () => undefined, error: () => undefined } });
spool.start();
let n = 0;
async function writerLoop(w: number): Promise<void> {
  for (;;) {
    const id = `w${w}-${n++}`;
    await spool.write({ userId: 'spool-child', roles: ['admin'], site: null, action: 'search', outcome: 'allowed', door: 'DICOMweb', resourceType: 'study', resourceId: id, studies: [`1.2.3.${n}`] });
    process.stdout.write(`ack ${id}\n`);
  }
}
for (let w = 0; w < 16; w++) void writerLoop(w);
