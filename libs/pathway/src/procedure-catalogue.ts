import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ProcedureCatalogueError } from './request-errors';

/** Modalities a procedure may name (PS3.3 C.7.3.1.1.1 defined terms that take worklist items). */
const MODALITIES = ['CR', 'DX', 'CT', 'MR', 'US', 'MG', 'NM', 'PT', 'XA', 'RF', 'OT'] as const;

const procedureSchema = z.object({
  code: z.string().regex(/^[A-Z0-9]{3,16}$/, '3-16 upper-case letters or digits (fits a DICOM Code Value)'),
  label: z.string().trim().min(1).max(64, 'at most 64 characters (Requested Procedure Description, VR LO)'),
  modality: z.enum(MODALITIES),
  bodyPart: z.string().regex(/^[A-Z ]{1,16}$/, 'a DICOM Body Part Examined term, upper case, at most 16 characters'),
  /** A protocol that needs a specialised pool (e.g. neuro-radiology) names it; otherwise the site's pool reads it. */
  readingPool: z.string().optional(),
});

const catalogueSchema = z.object({
  version: z.union([z.string(), z.number()]).transform(String),
  procedures: z.array(procedureSchema).min(1),
});

export type Procedure = z.infer<typeof procedureSchema>;

/** The requestable procedures, validated at start-up; requests and worklist items read labels from here. */
export class ProcedureCatalogue {
  private readonly byCode: ReadonlyMap<string, Procedure>;

  private constructor(
    readonly version: string,
    readonly procedures: readonly Procedure[],
  ) {
    this.byCode = new Map(procedures.map((p) => [p.code, p]));
  }

  /** @throws ProcedureCatalogueError naming every bad entry by index and code. */
  static fromDocument(doc: unknown, file = 'procedure catalogue'): ProcedureCatalogue {
    const parsed = catalogueSchema.safeParse(doc);
    if (!parsed.success) {
      const entries = (doc as { procedures?: { code?: unknown }[] } | null)?.procedures;
      throw new ProcedureCatalogueError(
        file,
        parsed.error.issues.map((i) => {
          const code = i.path[0] === 'procedures' && typeof i.path[1] === 'number' ? entries?.[i.path[1]]?.code : undefined;
          return `${i.path.join('.') || '(root)'}${typeof code === 'string' ? ` (${code})` : ''}: ${i.message}`;
        }),
      );
    }
    const seen = new Set<string>();
    const problems: string[] = [];
    parsed.data.procedures.forEach((p, i) => {
      if (seen.has(p.code)) problems.push(`procedures.${i}.code (${p.code}): duplicate code`);
      seen.add(p.code);
    });
    if (problems.length) throw new ProcedureCatalogueError(file, problems);
    return new ProcedureCatalogue(parsed.data.version, parsed.data.procedures);
  }

  static load(path: string): ProcedureCatalogue {
    const abs = resolve(path);
    let doc: unknown;
    try {
      doc = parse(readFileSync(abs, 'utf8'));
    } catch (e) {
      throw new ProcedureCatalogueError(abs, [e.code === 'ENOENT' ? 'file not found' : `not valid YAML (${e.message})`]);
    }
    return ProcedureCatalogue.fromDocument(doc, abs);
  }

  /** Codes are matched case-insensitively: HL7 senders do not agree on case. */
  find(code: string): Procedure | undefined {
    return this.byCode.get(code.trim().toUpperCase());
  }
}
