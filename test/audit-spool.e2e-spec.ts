/**
 * The audit spool (issue #10): an acknowledged audit record survives a SIGKILL of the process
 * that wrote it, lands in `audit_event` exactly once, and the hash chain stays intact.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { AuditSpool, AuditWriter, verifyAuditChain } from '@krypton/audit';
import { migrate } from '@krypton/database';
import { ROOT, suiteNamespace, testDatabaseUrl } from './support/env';
import { resetDatabase } from './support/hub';
import { waitFor } from './support/wait-for';

jest.setTimeout(120_000);
suiteNamespace('audit-spool');
const DB = testDatabaseUrl('audit_spool');
const quiet = { warn: () => undefined, error: () => undefined };

describe('Audit spool (e2e)', () => {
  let pool: Pool;
  beforeAll(async () => {
    await resetDatabase(DB);
    await migrate(DB);
    pool = new Pool({ connectionString: DB, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
  });
  const query = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await pool.query(text, values)).rows as T[];

  it('loses no acknowledged record when the writing process is killed (SIGKILL) while the database lags, and files each once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krypton-audit-spool-'));
    // Hold the chain head: the child's drain blocks, so what it acknowledges is only in its spool.
    const holder = new Client({ connectionString: DB });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT * FROM audit_chain_head FOR UPDATE');
    let child: ChildProcess | null = null;
    const acked = new Set<string>();
    try {
      child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'test/support/audit-spool-child.ts', DB, dir], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let buf = '';
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const l of lines) if (l.startsWith('ack ')) acked.add(l.slice(4));
      });
      await waitFor('2,000 acknowledged records', () => acked.size >= 2000, 60_000, 20);
      child.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
    } finally {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      // The killed child's blocked batch may still commit now: the adopter must not file it twice.
      await holder.query('COMMIT');
      await holder.end();
    }
    expect(acked.size).toBeGreaterThanOrEqual(2000);
    expect(readdirSync(dir).length).toBeGreaterThan(0);

    // Another process of the host (here the suite) adopts the dead process's segments.
    const writer = new AuditWriter((text, values) => pool.query(text, values as unknown[]));
    const adopter = new AuditSpool({ dir, insert: (r) => writer.write(r), maxLagMs: 60_000, log: quiet });
    adopter.start();
    try {
      await waitFor('the dead process segments drained and deleted', () => readdirSync(dir).length === 0, 60_000);
    } finally {
      await adopter.stop();
    }
    const rows = await query<{ resource_id: string; n: number }>(`SELECT resource_id, count(*)::int AS n FROM audit_event WHERE user_id = 'spool-child' GROUP BY resource_id`);
    const filed = new Map(rows.map((r) => [r.resource_id, r.n]));
    const lost = [...acked].filter((id) => !filed.has(id));
    expect(lost).toEqual([]);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    const report = await verifyAuditChain((text, values) => query(text, values));
    expect(report.problems).toEqual([]);
    expect(report.checked).toBe(rows.length);
  });

  it('serves from the spool while the database is away, refuses once it lags beyond the bound, and catches up in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'krypton-audit-spool-'));
    const writer = new AuditWriter((text, values) => pool.query(text, values as unknown[]));
    const spool = new AuditSpool({ dir, insert: (r) => writer.write(r), maxLagMs: 1000, log: quiet });
    spool.start();
    const rec = (id: string) => ({ userId: 'lag-test', roles: ['admin'], site: null, action: 'search', outcome: 'allowed' as const, door: 'REST' as const, resourceType: 'study', resourceId: id });
    await query(`CREATE FUNCTION e2e_spool_block() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit database away'; END $$`);
    await query(`CREATE TRIGGER e2e_spool_block BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION e2e_spool_block()`);
    try {
      await spool.write(rec('first'));
      await spool.write(rec('second'));
      await new Promise((r) => setTimeout(r, 1300));
      await expect(spool.write(rec('refused'))).rejects.toThrow(/audit database is \d+ s behind/);
      expect(spool.backlog()).toBe(2);
    } finally {
      await query('DROP TRIGGER e2e_spool_block ON audit_event');
      await query('DROP FUNCTION e2e_spool_block()');
    }
    expect(await spool.drained(10_000)).toBe(true);
    await spool.write(rec('after'));
    await spool.stop();
    const rows = await query<{ resource_id: string }>(`SELECT resource_id FROM audit_event WHERE user_id = 'lag-test' ORDER BY seq`);
    expect(rows.map((r) => r.resource_id)).toEqual(['first', 'second', 'after']);
    expect(readdirSync(dir)).toEqual([]);
    expect((await verifyAuditChain((text, values) => query(text, values))).problems).toEqual([]);
  });
});
