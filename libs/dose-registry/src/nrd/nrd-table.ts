import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { NrdConfigError } from '../dose-registry-errors';

const categorySchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  label: z.string().min(1),
  quantity: z.enum(['dap_mGy_cm2', 'ctdiVol_mGy', 'dlp_mGy_cm', 'agd_mGy', 'activity_MBq']),
  per: z.enum(['event', 'exam']),
  nrd: z.number().positive(),
  vgd: z.number().positive().optional(),
  /** Table and line of the regulatory text the value was read from. */
  ref: z.string().min(1),
});

const tableSchema = z.object({
  version: z.string().min(1),
  effective: z.union([z.string(), z.date()]).transform(String),
  source: z.string().min(1),
  categories: z.array(categorySchema).min(1),
});

const ruleSchema = z
  .object({
    category: z.string().min(1),
    modalities: z.array(z.enum(['CT', 'XA', 'DX', 'MG', 'NM'])).optional(),
    protocol: z.string().optional(),
    procedureCodes: z.array(z.string().min(1)).optional(),
  })
  .refine((r) => r.protocol !== undefined || (r.procedureCodes?.length ?? 0) > 0, 'a rule needs protocol or procedureCodes');

const mappingSchema = z.object({ version: z.union([z.string(), z.number()]).transform(String), rules: z.array(ruleSchema) });

export type NrdCategory = z.infer<typeof categorySchema>;

interface CompiledRule {
  readonly category: NrdCategory;
  readonly modalities: ReadonlySet<string> | null;
  readonly protocol: RegExp | null;
  readonly procedureCodes: ReadonlySet<string>;
}

/** The NRD table and the site-editable mapping onto it, validated together. */
export class NrdTable {
  private constructor(
    readonly version: string,
    readonly source: string,
    readonly categories: readonly NrdCategory[],
    private readonly rules: readonly CompiledRule[],
  ) {}

  /** @throws NrdConfigError naming every bad entry (file, path, reason). */
  static fromDocuments(table: unknown, mapping: unknown, files = { table: 'nrd table', mapping: 'nrd mapping' }): NrdTable {
    const t = tableSchema.safeParse(table);
    if (!t.success)
      throw new NrdConfigError(
        files.table,
        t.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      );
    const ids = new Map<string, NrdCategory>();
    const problems: string[] = [];
    t.data.categories.forEach((c, i) => {
      if (ids.has(c.id)) problems.push(`categories.${i}.id: duplicate category "${c.id}"`);
      ids.set(c.id, c);
      if (c.vgd !== undefined && c.vgd > c.nrd) problems.push(`categories.${i}.vgd: the guide value ${c.vgd} is above the NRD ${c.nrd}`);
    });
    if (problems.length) throw new NrdConfigError(files.table, problems);
    const m = mappingSchema.safeParse(mapping);
    if (!m.success)
      throw new NrdConfigError(
        files.mapping,
        m.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      );
    const rules: CompiledRule[] = [];
    m.data.rules.forEach((r, i) => {
      const category = ids.get(r.category);
      if (!category) problems.push(`rules.${i}.category: unknown NRD category "${r.category}"`);
      let protocol: RegExp | null = null;
      try {
        protocol = r.protocol === undefined ? null : new RegExp(r.protocol, 'i');
      } catch (e) {
        problems.push(`rules.${i}.protocol: not a valid regular expression (${e.message})`);
      }
      if (category) rules.push({ category, modalities: r.modalities ? new Set(r.modalities) : null, protocol, procedureCodes: new Set(r.procedureCodes ?? []) });
    });
    if (problems.length) throw new NrdConfigError(files.mapping, problems);
    return new NrdTable(t.data.version, t.data.source, t.data.categories, rules);
  }

  static load(tablePath: string, mappingPath: string): NrdTable {
    const read = (p: string) => {
      const abs = resolve(p);
      try {
        return parse(readFileSync(abs, 'utf8'));
      } catch (e) {
        throw new NrdConfigError(abs, [e.code === 'ENOENT' ? 'file not found' : `not readable YAML: ${e.message}`]);
      }
    };
    return NrdTable.fromDocuments(read(tablePath), read(mappingPath), { table: resolve(tablePath), mapping: resolve(mappingPath) });
  }

  /** The first rule that matches, in file order. */
  categoryOf(modality: string, protocol: string | null, procedureCodes: readonly string[] = []): NrdCategory | null {
    for (const r of this.rules) {
      if (r.modalities && !r.modalities.has(modality)) continue;
      if (procedureCodes.some((c) => r.procedureCodes.has(c))) return r.category;
      if (protocol && r.protocol?.test(protocol)) return r.category;
    }
    return null;
  }
}
