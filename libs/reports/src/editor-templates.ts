import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ReportTemplateError } from './report-errors';

/** The file in `reports.templatesDir` that holds the editor's starting texts. */
export const EDITOR_TEMPLATES_FILE = 'editor-templates.yaml';

const textSchema = z
  .object({
    technique: z.string().max(65536).default(''),
    findings: z.string().max(65536).default(''),
    conclusion: z.string().max(65536).default(''),
  })
  .strict();

const documentSchema = z
  .object({
    default: textSchema.default({}),
    byModality: z.record(z.string().regex(/^[A-Z]{2}$/, 'a DICOM modality (two upper-case letters)'), textSchema).default({}),
    byProcedure: z.record(z.string().regex(/^[A-Z0-9]{3,16}$/, 'a procedure code of config/procedures.yaml'), textSchema).default({}),
  })
  .strict();

export type EditorTemplate = z.infer<typeof textSchema>;

/** Where the starting text came from, so the editor can say "template of <procedure>". */
export interface ChosenEditorTemplate extends EditorTemplate {
  readonly source: 'procedure' | 'modality' | 'default';
}

/**
 * Starting texts of the report editor, per procedure, else modality, else a default. They are a
 * convenience for the radiologist, not part of the signed document (that is `report.hbs`).
 */
export class EditorTemplates {
  private constructor(private readonly doc: z.infer<typeof documentSchema>) {}

  /** @throws ReportTemplateError naming every bad entry by its path. */
  static fromDocument(doc: unknown, file = EDITOR_TEMPLATES_FILE): EditorTemplates {
    const parsed = documentSchema.safeParse(doc ?? {});
    if (!parsed.success) throw new ReportTemplateError(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    return new EditorTemplates(parsed.data);
  }

  /** A missing file means "no templates": every procedure starts from empty fields. */
  static load(templatesDir: string): EditorTemplates {
    const file = resolve(join(templatesDir, EDITOR_TEMPLATES_FILE));
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return EditorTemplates.fromDocument({}, file);
      throw e;
    }
    let doc: unknown;
    try {
      doc = parse(text);
    } catch (e) {
      throw new ReportTemplateError(file, `not valid YAML (${(e as Error).message})`);
    }
    return EditorTemplates.fromDocument(doc, file);
  }

  /** Procedure codes are matched without regard to case, as the procedure catalogue does. */
  forExam(procedureCode: string | null, modality: string | null): ChosenEditorTemplate {
    const byCode = procedureCode ? this.doc.byProcedure[procedureCode.trim().toUpperCase()] : undefined;
    if (byCode) return { ...byCode, source: 'procedure' };
    const byModality = modality ? this.doc.byModality[modality.toUpperCase()] : undefined;
    if (byModality) return { ...byModality, source: 'modality' };
    return { ...this.doc.default, source: 'default' };
  }
}
