import { birthDateAsDa, codeMatches, hashCode, newCode, newLinkToken, sameSecret } from './link-secrets';

describe('patient link secrets', () => {
  it('reads a birth date in the forms patients type, and refuses impossible dates', () => {
    expect(birthDateAsDa('1961-03-14')).toBe('19610314');
    expect(birthDateAsDa('19610314')).toBe('19610314');
    expect(birthDateAsDa('14/03/1961')).toBe('19610314');
    expect(birthDateAsDa('4.3.1961')).toBe('19610304');
    expect(birthDateAsDa('1961-02-30')).toBeNull();
    expect(birthDateAsDa('03/14/1961')).toBeNull();
    expect(birthDateAsDa('yesterday')).toBeNull();
  });

  it('keeps a one-time code as a salted scrypt hash that only the code matches', () => {
    const code = newCode();
    expect(code).toMatch(/^\d{6}$/);
    const a = hashCode(code);
    expect(a).not.toContain(code);
    expect(hashCode(code)).not.toBe(a);
    expect(codeMatches(code, a)).toBe(true);
    expect(codeMatches(String((Number(code) + 1) % 1_000_000).padStart(6, '0'), a)).toBe(false);
    expect(codeMatches(code, 'plain$x$y')).toBe(false);
  });

  it('makes unguessable URL-safe tokens and compares secrets exactly', () => {
    const t = newLinkToken();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newLinkToken()).not.toBe(t);
    expect(sameSecret('19610314', '19610314')).toBe(true);
    expect(sameSecret('19610314', '19610315')).toBe(false);
  });
});
