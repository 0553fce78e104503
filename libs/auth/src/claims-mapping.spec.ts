import { oidcIssuerSchema } from '@krypton/config';
import { claimValues, principalFromClaims } from './claims-mapping';
import { AuthenticationError, NoHubRoleError } from './auth-errors';

const known = {
  sites: [
    { id: 'chu-nord', name: 'CHU Nord', finess: '000000001' },
    { id: 'clinique-sud', name: 'Clinique du Sud', finess: '000000002' },
  ],
  pools: new Set(['chu-nord-radiologists']),
};

describe('claims mapping', () => {
  it('reads nested claims, cuts by pattern and translates by map', () => {
    const payload = { realm_access: { roles: ['radiologue', 'offline_access'] }, preferred_username: '810000000001', n: 7 };
    expect(claimValues(payload, { claim: 'realm_access.roles', map: { radiologue: 'radiologist' } })).toEqual(['radiologist']);
    expect(claimValues(payload, { claim: 'preferred_username', pattern: '^8(\\d{11})$' })).toEqual(['10000000001']);
    expect(claimValues(payload, { claim: 'preferred_username', pattern: '^3(\\d+)$' })).toEqual([]);
    expect(claimValues(payload, { claim: 'n' })).toEqual(['7']);
    expect(claimValues(payload, { claim: 'absent.deeper' })).toEqual([]);
  });

  it('maps a professional token: roles, sites by id or FINESS, pools, RPPS; unknown values dropped', () => {
    const issuer = oidcIssuerSchema.parse({
      id: 'psc',
      issuer: 'https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet',
      audience: 'krypton',
      claims: {
        user: 'sub',
        roles: { claim: 'roles', map: { radiologue: 'radiologist', admin: 'admin' } },
        sites: 'structures',
        pools: 'pools',
        rpps: { claim: 'SubjectNameID', pattern: '^8(\\d{11})$' },
      },
    });
    const p = principalFromClaims(
      { sub: 'f:550e', roles: ['radiologue', 'superuser'], structures: ['000000002', 'chu-nord', '999999999'], pools: ['chu-nord-radiologists', 'nope'], SubjectNameID: '810000000001' },
      issuer,
      known,
    );
    expect(p).toEqual({
      name: 'f:550e',
      roles: ['radiologist'],
      site: 'clinique-sud',
      sites: ['clinique-sud', 'chu-nord'],
      pools: ['chu-nord-radiologists'],
      identifiers: ['rpps:10000000001'],
      authenticatedBy: 'psc',
    });
  });

  it('gives a patient identity provider fixed roles and the INS', () => {
    const issuer = oidcIssuerSchema.parse({ id: 'patients', issuer: 'https://patients.example', audience: 'krypton', roles: ['patient'], claims: { ins: 'ins' } });
    expect(principalFromClaims({ sub: 'p1', ins: '180017512345678' }, issuer, known)).toMatchObject({ name: 'p1', roles: ['patient'], identifiers: ['ins:180017512345678'], sites: [] });
  });

  it('refuses a token without a user claim (401) or without any hub role (403)', () => {
    const issuer = oidcIssuerSchema.parse({ id: 'x', issuer: 'https://x.example', audience: 'krypton', claims: { roles: 'roles' } });
    expect(() => principalFromClaims({ roles: ['admin'] }, issuer, known)).toThrow(AuthenticationError);
    expect(() => principalFromClaims({ sub: 'u', roles: ['nurse'] }, issuer, known)).toThrow(NoHubRoleError);
  });
});
