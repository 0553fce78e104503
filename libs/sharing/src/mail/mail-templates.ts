import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { SharingLocale } from '@krypton/config';

/** The templates sharing renders: e-mails (subject on the first line) and the patient link's page. */
export const MAIL_TEMPLATES = ['share-notification', 'link-code'] as const;
export const PAGE_TEMPLATES = ['link-page'] as const;
export type TemplateName = (typeof MAIL_TEMPLATES)[number] | (typeof PAGE_TEMPLATES)[number];

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
}

/** A template missing or unreadable at start-up: the process refuses to start, naming the file. */
export class SharingTemplateError extends Error {
  constructor(
    message: string,
    public readonly file: string,
  ) {
    super(message);
    this.name = 'SharingTemplateError';
  }
}

/**
 * Handlebars templates of `sharing.mail.templatesDir`, one per name and language
 * (`share-notification.fr.hbs`), compiled once at start-up so that a broken template stops the
 * start instead of the first notification. French is the region's language and must exist;
 * another language falls back to French when its file is absent.
 */
export class SharingTemplates {
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(dir: string, locales: readonly SharingLocale[]) {
    const root = isAbsolute(dir) ? dir : resolve(process.cwd(), dir);
    for (const name of [...MAIL_TEMPLATES, ...PAGE_TEMPLATES]) {
      for (const locale of locales) {
        const file = join(root, `${name}.${locale}.hbs`);
        if (!existsSync(file)) {
          if (locale === 'fr') throw new SharingTemplateError(`sharing.mail.templatesDir: ${file} is missing`, file);
          continue;
        }
        try {
          // E-mails are plain text (nothing to escape: an escaped URL would not open); pages are HTML.
          const mail = (MAIL_TEMPLATES as readonly string[]).includes(name);
          this.compiled.set(`${name}.${locale}`, Handlebars.compile(readFileSync(file, 'utf8'), { strict: true, noEscape: mail }));
        } catch (e) {
          throw new SharingTemplateError(`${file}: ${(e as Error).message}`, file);
        }
      }
    }
  }

  private template(name: TemplateName, locale: SharingLocale): Handlebars.TemplateDelegate {
    const t = this.compiled.get(`${name}.${locale}`) ?? this.compiled.get(`${name}.fr`);
    if (!t) throw new SharingTemplateError(`no template ${name}`, name);
    return t;
  }

  /** An e-mail: the first line `Subject: …`, then a blank line, then the text. */
  mail(name: (typeof MAIL_TEMPLATES)[number], locale: SharingLocale, data: object): RenderedMail {
    const out = this.template(name, locale)(data);
    const m = /^Subject:[ \t]*(.*)\r?\n\r?\n?([\s\S]*)$/.exec(out);
    if (!m) throw new SharingTemplateError(`${name}.${locale}.hbs must start with a "Subject:" line`, name);
    return { subject: m[1].trim(), text: m[2] };
  }

  /** An HTML page (Handlebars escapes every value). */
  page(name: (typeof PAGE_TEMPLATES)[number], locale: SharingLocale, data: object): string {
    return this.template(name, locale)(data);
  }
}
