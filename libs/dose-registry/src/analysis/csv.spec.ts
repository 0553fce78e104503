import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes separators and neutralises formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          { a: 'x,y', b: '=1+1' },
          { a: null, b: 2 },
        ],
      ),
    ).toBe('a,b\r\n"x,y",\'=1+1\r\n,2\r\n');
  });
});
