import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The console's languages; the first is the default (the region's users read French). */
export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr';

export type Messages = Readonly<Record<string, string>>;

/** A catalogue that cannot be used: a key twice, or a language missing a key the other has. */
export class CatalogueError extends Error {
  constructor(
    message: string,
    readonly keys: readonly string[],
  ) {
    super(message);
    this.name = 'CatalogueError';
  }
}

/**
 * Loads `i18n/<locale>/*.json` (one file per area of the console, so that two screens added in
 * parallel never edit the same file) into one flat map per language, and checks at start-up that
 * every language has exactly the same keys: a missing translation fails the start, not a page.
 */
export function loadCatalogues(dir: string = __dirname): Record<Locale, Messages> {
  const out = {} as Record<Locale, Messages>;
  for (const locale of LOCALES) {
    const merged: Record<string, string> = {};
    const folder = join(dir, locale);
    for (const file of readdirSync(folder)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const messages = JSON.parse(readFileSync(join(folder, file), 'utf8')) as Record<string, string>;
      const twice = Object.keys(messages).filter((k) => k in merged);
      if (twice.length) throw new CatalogueError(`i18n/${locale}/${file}: keys already defined in another file: ${twice.join(', ')}`, twice);
      Object.assign(merged, messages);
    }
    out[locale] = merged;
  }
  const reference = new Set(Object.keys(out[DEFAULT_LOCALE]));
  for (const locale of LOCALES) {
    const keys = new Set(Object.keys(out[locale]));
    const missing = [...reference].filter((k) => !keys.has(k));
    const extra = [...keys].filter((k) => !reference.has(k));
    if (missing.length || extra.length)
      throw new CatalogueError(`i18n/${locale}: missing ${missing.join(', ') || 'nothing'}; not in ${DEFAULT_LOCALE}: ${extra.join(', ') || 'nothing'}`, [...missing, ...extra]);
  }
  return out;
}

/** `{name}` placeholders filled from `params`; an unknown key shows itself, so it is seen in a test. */
export function translate(messages: Messages, key: string, params: Readonly<Record<string, unknown>> = {}): string {
  const text = messages[key];
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (params[name] === undefined || params[name] === null ? m : String(params[name])));
}

/**
 * The language of a request: the console's language cookie, else the first of the browser's
 * Accept-Language that the console speaks, else French.
 */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (cookie && (LOCALES as readonly string[]).includes(cookie)) return cookie as Locale;
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((w) => w.lang && w.q > 0)
    .sort((a, b) => b.q - a.q);
  const hit = wanted.find((w) => (LOCALES as readonly string[]).includes(w.lang));
  return (hit?.lang as Locale | undefined) ?? DEFAULT_LOCALE;
}
