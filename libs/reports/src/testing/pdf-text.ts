/** WinAnsi codes 0x80-0x9F that are not Latin-1 (the rest of WinAnsi is). */
const WIN_ANSI_HIGH: Record<number, string> = {
  0x80: '€',
  0x82: '‚',
  0x83: 'ƒ',
  0x84: '„',
  0x85: '…',
  0x86: '†',
  0x87: '‡',
  0x88: 'ˆ',
  0x89: '‰',
  0x8a: 'Š',
  0x8b: '‹',
  0x8c: 'Œ',
  0x8e: 'Ž',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x98: '˜',
  0x99: '™',
  0x9a: 'š',
  0x9b: '›',
  0x9c: 'œ',
  0x9e: 'ž',
  0x9f: 'Ÿ',
};

/**
 * The text lines of an uncompressed pdfkit PDF (`compress: false`): pdfkit writes each line as one
 * `[<hex> kerning <hex> ...] TJ` in WinAnsi. Enough to test what a report prints without poppler;
 * not a PDF parser.
 */
export function pdfTextLines(pdf: Buffer): string[] {
  const source = pdf.toString('latin1');
  const lines: string[] = [];
  for (const m of source.matchAll(/\[((?:<[0-9a-f]*>\s*-?[\d.]*\s*)+)\]\s*TJ/gi)) {
    const hex = [...m[1].matchAll(/<([0-9a-f]*)>/gi)].map((h) => h[1]).join('');
    const bytes = Buffer.from(hex, 'hex');
    lines.push([...bytes].map((b) => WIN_ANSI_HIGH[b] ?? String.fromCharCode(b)).join(''));
  }
  return lines;
}
