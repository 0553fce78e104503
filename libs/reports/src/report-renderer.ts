import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ReportTemplateError } from './report-errors';
import { reportView, type ReportViewModel } from './report-view';
import { MINIMAL_SIGN_INPUT, SAMPLE_SIGN_INPUT } from './sample-input';

/** The report as laid-out lines: what the PDF draws, and (as plain text) what is stored and sent. */
export type ReportBlock =
  | { readonly kind: 'title'; readonly text: string }
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'field'; readonly label: string; readonly value: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'rule' }
  | { readonly kind: 'blank' };

export interface RenderedReport {
  readonly blocks: readonly ReportBlock[];
  /** One line per block; headings as written, fields as "Label : value", rules as blank lines. */
  readonly text: string;
}

export const REPORT_TEMPLATE_FILE = 'report.hbs';

/*
 * Layout helpers emit a line marker the parser reads back. Markers are control characters, which
 * `cleanText` strips from every value, so no text typed by a radiologist or a referrer can turn
 * itself into a heading the way a Markdown "#" at the start of a line would.
 */
const MARK = '\u0001';
const FIELD_SEP = '\u0002';
const FIELD_NEWLINE = '\u0003';

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

function oneLine(value: unknown): string {
  return String(value).replace(/\n/g, ' ');
}

function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('title', (text: unknown) => `${MARK}T${oneLine(text)}`);
  hb.registerHelper('heading', (text: unknown) => `${MARK}H${oneLine(text)}`);
  hb.registerHelper('rule', () => `${MARK}R`);
  // A field with no value disappears, line included: optional data needs no {{#if}} around it.
  hb.registerHelper('field', (label: unknown, value: unknown) => {
    if (isEmpty(value)) return '';
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    return `${MARK}F${oneLine(label)}${FIELD_SEP}${text.replace(/\n/g, FIELD_NEWLINE)}`;
  });
}

function parseLine(line: string): ReportBlock {
  if (!line.startsWith(MARK)) return line.trim() === '' ? { kind: 'blank' } : { kind: 'text', text: line.trimEnd() };
  const kind = line[1];
  const rest = line.slice(2).trim();
  if (kind === 'T') return { kind: 'title', text: rest };
  if (kind === 'H') return { kind: 'heading', text: rest };
  if (kind === 'R') return { kind: 'rule' };
  const [label, value = ''] = rest.split(FIELD_SEP);
  return { kind: 'field', label: label.trim(), value: value.split(FIELD_NEWLINE).join('\n').trim() };
}

/** Blank lines trimmed at both ends and collapsed, so template whitespace never shows as gaps. */
function tidy(blocks: ReportBlock[]): ReportBlock[] {
  const out: ReportBlock[] = [];
  for (const b of blocks) {
    if (b.kind === 'blank' && (out.length === 0 || out[out.length - 1].kind === 'blank')) continue;
    // A field rendered empty leaves nothing, not even a blank line.
    if (b.kind === 'field' && b.value === '') continue;
    out.push(b);
  }
  while (out.length && out[out.length - 1].kind === 'blank') out.pop();
  return out;
}

function plainLine(b: ReportBlock): string {
  switch (b.kind) {
    case 'title':
    case 'heading':
    case 'text':
      return b.text;
    case 'field':
      return `${b.label} : ${b.value}`;
    default:
      return '';
  }
}

function toPlainText(blocks: readonly ReportBlock[]): string {
  return blocks
    .map(plainLine)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

/**
 * A compiled report template. Built with `compileReportTemplate`, which proves it renders before
 * anything is signed with it.
 */
export class ReportRenderer {
  constructor(
    readonly file: string,
    private readonly template: HandlebarsTemplateDelegate<ReportViewModel>,
  ) {}

  render(view: ReportViewModel): RenderedReport {
    const out = this.template(view);
    // Splitting on the markers too lets a template put two helpers on one line.
    const lines = out.split('\n').flatMap((l) => l.split(new RegExp(`(?=${MARK})`)));
    const blocks = tidy(lines.map(parseLine));
    return { blocks, text: toPlainText(blocks) };
  }
}

/**
 * Compiles the template (noEscape: this is text, not HTML; strict: an unknown key is an error) and
 * renders it with a complete and a minimal sample, because Handlebars compiles lazily and reports
 * most mistakes (bad syntax, unknown helper, misspelt key) only when first rendered.
 *
 * @throws ReportTemplateError naming the file.
 */
export function compileReportTemplate(source: string, file: string): ReportRenderer {
  const hb = Handlebars.create();
  registerHelpers(hb);
  let renderer: ReportRenderer;
  try {
    renderer = new ReportRenderer(file, hb.compile<ReportViewModel>(source, { noEscape: true, strict: true }));
    for (const sample of [SAMPLE_SIGN_INPUT, MINIMAL_SIGN_INPUT]) {
      const rendered = renderer.render(reportView(sample, new Date(sample.signedAt), 1, 'UTC'));
      if (!rendered.blocks.length) throw new Error('renders nothing');
    }
  } catch (e) {
    throw new ReportTemplateError(
      file,
      String(e?.message ?? e)
        .split('\n')
        .slice(0, 4)
        .join(' '),
    );
  }
  return renderer;
}

/** Reads `report.hbs` from the configured directory; called once at start-up. */
export function loadReportTemplate(templatesDir: string): ReportRenderer {
  const file = resolve(templatesDir, REPORT_TEMPLATE_FILE);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ReportTemplateError(file, `cannot read it (${e?.code ?? e?.message ?? e})`);
  }
  return compileReportTemplate(source, file);
}
