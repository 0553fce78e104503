import { toWinAnsi } from './win-ansi';

describe('toWinAnsi', () => {
  it('keeps French text whole', () => {
    const french = 'Hélène Éléonore, cœur, « ça » — l’œuvre… 12 €, ÀÂÇÈÉÊËÎÏÔÙÛÜŸ';
    expect(toWinAnsi(french)).toBe(french);
  });

  it('drops accents WinAnsi lacks, spells a few letters, marks the rest', () => {
    expect(toWinAnsi('Nguyễn Łódź Đặng')).toBe('Nguyen Lódz Dang');
    expect(toWinAnsi('漢字 😀')).toBe('?? ?');
    expect(toWinAnsi('12\u202f:')).toBe('12\u00a0:');
  });
});
