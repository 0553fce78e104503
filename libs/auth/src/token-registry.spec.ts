import { sha256Hex, TokenRegistry } from './token-registry';

describe('TokenRegistry', () => {
  const reg = new TokenRegistry([
    { name: 'alice', roles: ['admin'], site: 'a', sites: [], pools: [], identifiers: ['rpps:1'], tokenSha256: sha256Hex('secret-a') },
    { name: 'oidc-only', roles: ['radiologist'], sites: [], pools: [], identifiers: [] },
  ]);

  it('resolves a known token to its principal', () => {
    expect(reg.resolve('secret-a')).toEqual({ name: 'alice', roles: ['admin'], site: 'a', sites: ['a'], pools: [], identifiers: ['rpps:1'], authenticatedBy: 'token' });
  });

  it('rejects an unknown token', () => {
    expect(reg.resolve('secret-b')).toBeNull();
  });
});
