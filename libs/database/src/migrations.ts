import type { MigrationInterface } from 'typeorm';
import { CATALOG_MIGRATIONS } from '@krypton/catalog/migrations';
import { DOSE_REGISTRY_MIGRATIONS } from '@krypton/dose-registry/migrations';
import { HL7_MIGRATIONS } from '@krypton/hl7/migrations';
import { PATHWAY_MIGRATIONS } from '@krypton/pathway/migrations';
import { REPORTS_MIGRATIONS } from '@krypton/reports/migrations';
import { RESEARCH_MIGRATIONS } from '@krypton/research/migrations';
import { ROUTING_MIGRATIONS } from '@krypton/routing/migrations';
import { ARCHIVE_MIGRATIONS } from '@krypton/archive/migrations';
import { ACCESS_MIGRATIONS } from '@krypton/access/migrations';
import { AUDIT_MIGRATIONS } from '@krypton/audit/migrations';
import { SHARING_MIGRATIONS } from '@krypton/sharing/migrations';

type MigrationClass = new () => MigrationInterface;

/** The timestamp TypeORM orders migrations by: the digits that end the class name. */
function timestampOf(m: MigrationClass): number {
  const digits = /(\d{13})$/.exec(m.name);
  if (!digits) throw new Error(`migration ${m.name}: the class name must end with a 13-digit timestamp`);
  return Number(digits[1]);
}

/**
 * Every migration of every lib that owns tables, in timestamp order. Each lib lists its own in
 * `src/migrations/index.ts`; a lib that starts owning tables adds its list here. Class names are
 * what existing databases recorded: they never change.
 */
export const MIGRATIONS: MigrationClass[] = [
  ...CATALOG_MIGRATIONS,
  ...DOSE_REGISTRY_MIGRATIONS,
  ...PATHWAY_MIGRATIONS,
  ...HL7_MIGRATIONS,
  ...REPORTS_MIGRATIONS,
  ...RESEARCH_MIGRATIONS,
  ...ROUTING_MIGRATIONS,
  ...ARCHIVE_MIGRATIONS,
  ...ACCESS_MIGRATIONS,
  ...AUDIT_MIGRATIONS,
  ...SHARING_MIGRATIONS,
].sort((a, b) => timestampOf(a) - timestampOf(b));

const seen = new Map<number, string>();
for (const m of MIGRATIONS) {
  const t = timestampOf(m);
  if (seen.has(t)) throw new Error(`migrations ${seen.get(t)} and ${m.name} share the timestamp ${t}`);
  seen.set(t, m.name);
}
