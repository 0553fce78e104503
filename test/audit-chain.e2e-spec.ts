/**
 * The audit trail's hash chain under the insert trigger that takes the chain head once per
 * statement (migration 1768160000000, issue #10's audit cost): rows written before and after the
 * migration form one chain, concurrent multi-row writers still queue into one order, and a
 * statement that fails leaves the head where it was.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AuditRecord, AuditWriter, verifyAuditChain } from '@krypton/audit';
import { dataSourceOptions, migrate } from '@krypton/database';
import { testDatabaseUrl } from './support/env';
import { resetDatabase } from './support/hub';

jest.setTimeout(120_000);
const DB = testDatabaseUrl('audit_chain');

const record = (i: number, extra: Partial<AuditRecord> = {}) => ({
  userId: `user-${i % 7}`,
  roles: ['radiologist'],
  site: i % 3 ? 'site-a' : null,
  resourceId: i % 2 ? `1.2.826.0.1.3680043.10.543.${i}` : null,
  action: 'search',
  outcome: 'allowed' as const,
  door: 'DICOMweb' as const,
  resourceType: 'study',
  patients: [`2${String(i).padStart(14, '0')}`, `1${String(i).padStart(14, '0')}`],
  studies: [`1.2.826.0.1.3680043.10.543.${i}`],
  reason: 'test',
  clientAddress: '127.0.0.1',
  // Nulls, quotes, a backslash and non-ASCII: every branch of the canonical form.
  detail: i % 4 ? { n: i, text: 'é "quoted" \\ back' } : null,
  recordId: randomUUID(),
  at: new Date(Date.UTC(2026, 11, 6, 8, 0, 0, i)).toISOString(),
  ...extra,
});

describe('Audit chain (e2e)', () => {
  let pool: Pool;
  const query = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await pool.query(text, values)).rows as T[];
  const head = async () => (await query<{ seq: string; hash: string }>('SELECT seq::text, hash FROM audit_chain_head WHERE id = 1'))[0];
  const count = async () => Number((await query<{ n: string }>('SELECT count(*) AS n FROM audit_event'))[0].n);

  beforeAll(async () => {
    await resetDatabase(DB);
    await migrate(DB);
    pool = new Pool({ connectionString: DB, max: 6 });
  });
  afterAll(async () => {
    await pool?.end();
  });

  it('continues the chain written by the per-row trigger it replaced, with the same hashes', async () => {
    const ds = new DataSource(dataSourceOptions(DB));
    await ds.initialize();
    try {
      await ds.undoLastMigration({ transaction: 'each' });
      const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'audit_chain_take'`);
      expect(n).toBe(0); // the old trigger is the one writing now
      const before = new AuditWriter((t, v) => ds.query(t, v));
      await before.write([record(1), record(2), record(3)]);
      await before.write(record(4));
      expect(await ds.runMigrations({ transaction: 'each' })).toHaveLength(1);
    } finally {
      await ds.destroy();
    }
    const after = new AuditWriter((t, v) => pool.query(t, v));
    await after.write([record(5), record(6), record(7), record(8)]);
    await after.write(record(9));
    const report = await verifyAuditChain(query);
    expect(report.problems).toEqual([]);
    expect(report.checked).toBe(9);
    expect(await head()).toMatchObject({ seq: '9' });
    const [last] = await query<{ hash: string }>('SELECT hash FROM audit_event WHERE seq = 9');
    expect((await head()).hash).toBe(last.hash);
  });

  it('keeps one order when several connections write batches at once', async () => {
    const start = await count();
    const writers = Array.from({ length: 5 }, () => new AuditWriter((t, v) => pool.query(t, v)));
    let i = 100;
    await Promise.all(
      writers.map(async (w, k) => {
        for (let b = 0; b < 12; b++) await w.write(Array.from({ length: 1 + ((b * 7 + k) % 17) }, () => record(i++)));
      }),
    );
    const written = (await count()) - start;
    expect(written).toBe(i - 100);
    const report = await verifyAuditChain(query);
    expect(report.problems).toEqual([]);
    expect(report.lastSeq).toBe(start + written);
    expect(Number((await head()).seq)).toBe(start + written);
  });

  it('leaves the head where it was after a statement that fails, and after one that inserts nothing', async () => {
    const writer = new AuditWriter((t, v) => pool.query(t, v));
    const kept = record(500);
    await writer.write(kept);
    const before = await head();
    // The second row breaks the door's CHECK: the whole statement, head move included, rolls back.
    await expect(writer.write([record(501), record(502, { door: 'fax' as never })])).rejects.toThrow(/audit trail cannot be written/);
    expect(await head()).toEqual(before);
    // A re-drained record is filtered out before the trigger: no row, no move.
    await writer.write(kept);
    expect(await head()).toEqual(before);
    await writer.write(record(503));
    const report = await verifyAuditChain(query);
    expect(report.problems).toEqual([]);
    expect(Number((await head()).seq)).toBe(Number(before.seq) + 1);
  });
});
