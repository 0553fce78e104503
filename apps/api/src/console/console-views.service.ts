import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadCatalogues, Locale, Messages, translate } from './i18n/catalogue';

export const VIEWS_DIR = join(__dirname, 'views');

/** What every template can read beside its own model (under `@root`): the language and the page frame. */
export interface ViewFrame {
  readonly locale: Locale;
  readonly messages: Messages;
  [key: string]: unknown;
}

/** A template asked for that does not exist (a programming error: the route names its view). */
export class ViewNotFoundError extends Error {
  constructor(readonly view: string) {
    super(`console view ${view}.hbs does not exist under ${VIEWS_DIR}`);
    this.name = 'ViewNotFoundError';
  }
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

/**
 * The console's Handlebars set-up: its own Handlebars environment (the report renderer and the
 * identity provider keep theirs), every `views/**\/*.hbs` compiled once at start, partials from
 * `views/partials/` (as `name`) and from `views/<area>/partials/` (as `<area>/name`), the message
 * catalogues, and helpers for what templates must not compute: translation, dates in the page's
 * language, equality. Templates escape everything by default; no helper returns unescaped input.
 */
@Injectable()
export class ConsoleViews {
  private readonly hbs = Handlebars.create();
  private readonly templates = new Map<string, Handlebars.TemplateDelegate>();
  readonly catalogues = loadCatalogues();

  constructor() {
    for (const file of walk(VIEWS_DIR).filter((f) => f.endsWith('.hbs'))) {
      const name = relative(VIEWS_DIR, file).replace(/\.hbs$/, '');
      const source = readFileSync(file, 'utf8');
      const partial = name.match(/^(?:partials\/(.+)|([^/]+)\/partials\/(.+))$/);
      if (partial) this.hbs.registerPartial(partial[1] ?? `${partial[2]}/${partial[3]}`, source);
      this.templates.set(name, this.hbs.compile(source, { strict: false, preventIndent: true }));
    }
    this.registerHelpers();
  }

  has(view: string): boolean {
    return this.templates.has(view);
  }

  /** Renders one view with its model; `frame` (language, page frame) is reachable as `@root.frame`. */
  render(view: string, model: Record<string, unknown>, frame: ViewFrame): string {
    const template = this.templates.get(view);
    if (!template) throw new ViewNotFoundError(view);
    return template({ ...model, frame }, { data: { frame } });
  }

  t(frame: Pick<ViewFrame, 'messages'>, key: string, params?: Record<string, unknown>): string {
    return translate(frame.messages, key, params);
  }

  private registerHelpers(): void {
    const frameOf = (options: Handlebars.HelperOptions): ViewFrame => options.data?.frame ?? options.data?.root?.frame;
    /** {{t "key" name=value}}: the message in the page's language, placeholders filled from the hash. */
    this.hbs.registerHelper('t', (key: string, options: Handlebars.HelperOptions) => translate(frameOf(options).messages, key, options.hash));
    /** {{tk "state." state ".label"}}: a message whose key is built from data (a state, a role): the parts joined. */
    this.hbs.registerHelper('tk', (...args: unknown[]) => {
      const options = args.pop() as Handlebars.HelperOptions;
      const key = args.map(String).join('');
      const messages = frameOf(options).messages;
      // `fallback=value`: data with an open set of values (a pathway step) shows itself when untranslated.
      if (!(key in messages) && options.hash.fallback !== undefined) return String(options.hash.fallback);
      return translate(messages, key, options.hash);
    });
    /** {{date iso}} / {{date iso "datetime"}}: in the page's language, Europe/Paris (the region's time). */
    this.hbs.registerHelper('date', (value: unknown, ...rest: unknown[]) => {
      const options = rest.pop() as Handlebars.HelperOptions;
      const style = typeof rest[0] === 'string' ? rest[0] : 'date';
      if (value === null || value === undefined || value === '') return '';
      const d = value instanceof Date ? value : new Date(String(value));
      if (Number.isNaN(d.getTime())) return String(value);
      const locale = frameOf(options).locale === 'fr' ? 'fr-FR' : 'en-GB';
      return new Intl.DateTimeFormat(locale, {
        timeZone: 'Europe/Paris',
        dateStyle: 'medium',
        ...(style === 'datetime' ? { timeStyle: 'short' } : {}),
      }).format(d);
    });
    /** {{num value}}: a number as the page's language writes it (1,26 in French). */
    this.hbs.registerHelper('num', (value: unknown, options: Handlebars.HelperOptions) =>
      typeof value === 'number' ? new Intl.NumberFormat(frameOf(options).locale === 'fr' ? 'fr-FR' : 'en-GB').format(value) : String(value ?? ''),
    );
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
    this.hbs.registerHelper('not', (a: unknown) => !a);
    /** {{json value}}: for a data-* attribute or a <script type="application/json"> (escaped by Handlebars). */
    this.hbs.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null));
  }
}
