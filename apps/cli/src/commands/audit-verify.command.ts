import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@krypton/database';
import { loadConfig } from '@krypton/config';
import { verifyAuditChain } from '@krypton/audit';
import { CliIo, Command, EXIT, UsageError } from '../command';
import { auditCli } from './cli-audit';

/**
 * `krypton audit verify`: walks the audit trail and recomputes its hash chain. Exit 0 when
 * intact; 1 with every edited record, gap and truncation named otherwise.
 */
export const auditVerifyCommand: Command = {
  path: ['audit', 'verify'],
  usage: '— check that the audit trail is complete and unedited (hash chain); exit 1 naming what is wrong',
  async run(args: readonly string[], io: CliIo): Promise<number> {
    if (args.length) throw new UsageError(`unexpected argument "${args[0]}"`);
    const cfg = loadConfig();
    const ds = new DataSource(dataSourceOptions(cfg.database.url));
    await ds.initialize();
    try {
      const report = await verifyAuditChain(
        (text, values) => ds.query(text, values),
        (n) => {
          if (n % 100000 === 0) io.stderr(`${JSON.stringify({ level: 'info', msg: 'audit verify progress', records: n })}\n`);
        },
      );
      for (const p of report.problems) io.stdout(`${p.kind}\t${p.seq}\t${p.message}\n`);
      const ok = report.problems.length === 0;
      io.stdout(ok ? `audit trail intact: ${report.checked} record(s), last ${report.lastSeq}\n` : `audit trail NOT intact: ${report.problems.length} problem(s) in ${report.checked} record(s)\n`);
      await auditCli(ds, { action: 'administer', resourceType: 'audit', reason: 'audit verify', outcome: 'allowed', detail: { checked: report.checked, problems: report.problems.length } });
      return ok ? EXIT.ok : EXIT.inputFailed;
    } finally {
      await ds.destroy();
    }
  },
};
