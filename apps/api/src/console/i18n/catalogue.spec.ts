import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalogues, pickLocale, translate } from './catalogue';

const VIEWS = join(__dirname, '../views');
const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));

describe('console message catalogues', () => {
  const catalogues = loadCatalogues();

  it('French and English have the same keys (the loader refuses otherwise), and every literal key a template uses exists', () => {
    const used = files(VIEWS)
      .filter((f) => f.endsWith('.hbs'))
      .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\{\{\s*t\s+"([^"]+)"/g)].map((m) => ({ file: f.slice(VIEWS.length + 1), key: m[1] })));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((u) => !(u.key in catalogues.fr))).toEqual([]);
    expect(Object.keys(catalogues.en).sort()).toEqual(Object.keys(catalogues.fr).sort());
  });

  it('templates hold no sentence of their own: text between tags comes from the catalogue', () => {
    const literal = files(VIEWS)
      .filter((f) => f.endsWith('.hbs'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .replace(/\{\{!--[\s\S]*?--\}\}/g, '')
          .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
          .replace(/\{\{[\s\S]*?\}\}/g, '')
          .split(/<[^>]*>/)
          .map((t) => t.trim())
          .filter((t) => /\p{L}{2,}/u.test(t) && !/^[—–\-:(),.\s]*$/.test(t))
          .map((t) => `${f.slice(VIEWS.length + 1)}: ${t}`),
      );
    expect(literal).toEqual([]);
  });

  it('fills placeholders and shows an unknown key as itself', () => {
    expect(translate(catalogues.fr, 'home.welcome', { name: 'demo-patient' })).toBe('Bonjour demo-patient.');
    expect(translate(catalogues.fr, 'no.such.key')).toBe('no.such.key');
  });

  it('picks the cookie, else the best language of Accept-Language the console speaks, else French', () => {
    expect(pickLocale('en', 'fr-FR')).toBe('en');
    expect(pickLocale(undefined, 'de-DE, en-GB;q=0.8, fr;q=0.5')).toBe('en');
    expect(pickLocale(undefined, 'fr-CA;q=0.9, en;q=0.2')).toBe('fr');
    expect(pickLocale('xx', 'de')).toBe('fr');
    expect(pickLocale(undefined, undefined)).toBe('fr');
  });
});
