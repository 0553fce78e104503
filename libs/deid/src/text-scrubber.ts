/**
 * Removes a patient's identifying words from free text the table keeps or is silent about
 * (cleaned descriptions, SR text, code meanings of local procedure codes). It knows the values
 * the profile removed from the same object (names, IDs, accession, addresses...) and blanks every
 * whole-word occurrence of them, whatever the case: a description typed as "CT DUPONT JEAN 12345"
 * comes out as "CT *** *** ***".
 */
export class TextScrubber {
  private readonly words = new Set<string>();
  private pattern: RegExp | null | undefined;

  /** Remembers a removed value: the whole value and, for names, each component. */
  add(value: string): void {
    const v = value.trim();
    if (v.length < 2) return;
    this.pattern = undefined;
    this.words.add(v.toUpperCase());
    for (const part of v.split(/[\^=\s,]+/)) if (part.length >= 2) this.words.add(part.toUpperCase());
  }

  /** A birth date also appears typed as 1970-01-31 or 31/01/1970 in free text. */
  addDate(da: string): void {
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
    if (!m) return;
    const [, y, mo, d] = m;
    for (const form of [da.trim(), `${y}-${mo}-${d}`, `${d}/${mo}/${y}`, `${d}.${mo}.${y}`, `${mo}/${d}/${y}`]) this.words.add(form);
    this.pattern = undefined;
  }

  scrub(text: string): string {
    if (this.words.size === 0 || text === '') return text;
    if (this.pattern === undefined) {
      // Longest first, so a full name is blanked before its parts.
      const alternatives = [...this.words].sort((a, b) => b.length - a.length).map(escape);
      this.pattern = alternatives.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu') : null;
    }
    return this.pattern ? text.replace(this.pattern, '***') : text;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
