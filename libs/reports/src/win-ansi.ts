/**
 * The PDF uses the standard Helvetica fonts, which every reader has, so nothing is embedded and
 * the bytes stay small and reproducible; their encoding (WinAnsi) covers French (é è ê à ç ô œ «
 * » ’ …) but not every name a patient may have. pdfkit writes an unsupported character as a bad
 * code that corrupts the whole line, so text is brought into WinAnsi first: accents outside it
 * are dropped (ễ → e), a few letters that do not decompose are spelt plainly (Ł → L), and what
 * is left becomes "?". The stored plain text and the DICOM attributes keep the original.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

const SPELT: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  ı: 'i',
  Ħ: 'H',
  ħ: 'h',
  Ŧ: 'T',
  ŧ: 't',
  ĸ: 'k',
  // French typography's narrow and thin spaces, and the non-breaking hyphens.
  '\u202f': '\u00a0',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u2007': ' ',
  '\u2010': '-',
  '\u2011': '-',
};

function isWinAnsi(ch: string): boolean {
  const c = ch.codePointAt(0) as number;
  return ch === '\n' || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch);
}

export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    if (isWinAnsi(ch)) out += ch;
    else if (SPELT[ch] !== undefined) out += SPELT[ch];
    else {
      // NFD splits a letter from its accents; recomposing what remains keeps é when only a second accent was the problem.
      const base = ch
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .normalize('NFC');
      out += base !== '' && [...base].every(isWinAnsi) ? base : '?';
    }
  }
  return out;
}
