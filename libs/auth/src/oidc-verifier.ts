import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { OidcIssuerConfig } from '@krypton/config';
import { AuthenticationError, NoHubRoleError } from './auth-errors';
import { KnownEntities, principalFromClaims } from './claims-mapping';
import { Principal } from './principal';

/** Three base64url parts: a JWS compact serialization, as opposed to a static opaque token. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/** The key set URL: configured, else the issuer's discovery document's `jwks_uri`. */
async function discoverJwksUri(issuer: OidcIssuerConfig): Promise<URL> {
  if (issuer.jwksUri) return new URL(issuer.jwksUri);
  const url = `${issuer.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  const doc = (await res.json()) as { jwks_uri?: string; issuer?: string };
  if (doc.issuer !== issuer.issuer) throw new Error(`${url} names issuer "${doc.issuer}", configured "${issuer.issuer}"`);
  if (!doc.jwks_uri) throw new Error(`${url} has no jwks_uri`);
  return new URL(doc.jwks_uri);
}

/**
 * Verifies JWT bearer tokens of the configured issuers with jose: signature against the issuer's
 * JWKS (fetched when first needed, cached, fetched again for an unknown `kid`), `iss` exactly,
 * `aud`, `exp`/`nbf` with the configured tolerance, then maps the claims to a principal.
 */
export class OidcVerifier {
  private readonly byIssuer: Map<string, OidcIssuerConfig>;
  private readonly keySets = new Map<string, Promise<JWTVerifyGetKey>>();

  constructor(
    issuers: readonly OidcIssuerConfig[],
    private readonly known: KnownEntities,
  ) {
    this.byIssuer = new Map(issuers.map((i) => [i.issuer, i]));
  }

  get enabled(): boolean {
    return this.byIssuer.size > 0;
  }

  async verify(token: string): Promise<Principal> {
    let iss: string | undefined;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw new AuthenticationError('the bearer token is not a readable JWT', 'malformed');
    }
    const issuer = iss ? this.byIssuer.get(iss) : undefined;
    if (!issuer) throw new AuthenticationError(`token issuer ${JSON.stringify(iss ?? null)} is not a configured issuer (auth.issuers)`, 'issuer');
    const keys = await this.keySet(issuer);
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: issuer.issuer,
        audience: issuer.audience,
        algorithms: issuer.algorithms,
        clockTolerance: issuer.clockToleranceSeconds,
        requiredClaims: ['exp'],
      });
      return principalFromClaims(payload as Record<string, unknown>, issuer, this.known);
    } catch (e) {
      throw asAuthenticationError(e, issuer);
    }
  }

  private keySet(issuer: OidcIssuerConfig): Promise<JWTVerifyGetKey> {
    let keys = this.keySets.get(issuer.id);
    if (!keys) {
      keys = discoverJwksUri(issuer).then((uri) => createRemoteJWKSet(uri, { timeoutDuration: 5000 }));
      // A failed discovery is retried by the next request rather than remembered.
      keys.catch(() => this.keySets.delete(issuer.id));
      this.keySets.set(issuer.id, keys);
    }
    return keys.catch((e) => {
      throw new AuthenticationError(`the keys of issuer "${issuer.id}" could not be fetched: ${e.message}`, 'key');
    });
  }
}

function asAuthenticationError(e: unknown, issuer: OidcIssuerConfig): Error {
  if (e instanceof AuthenticationError || e instanceof NoHubRoleError) return e;
  // Not a verdict on the token: the key set could not be had (network, HTTP status, not a JWKS).
  const keySetFetch = e instanceof errors.JOSEError && e.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set/.test(e.message);
  if (!(e instanceof errors.JOSEError) || keySetFetch || e instanceof errors.JWKSInvalid || e instanceof errors.JWKSTimeout) {
    return new AuthenticationError(`the keys of issuer "${issuer.id}" could not be fetched: ${(e as Error).message}`, 'key');
  }
  if (e instanceof errors.JWTExpired) return new AuthenticationError('the token has expired ("exp")', 'expired');
  if (e instanceof errors.JWTClaimValidationFailed) {
    const reason = e.claim === 'aud' ? 'audience' : e.claim === 'iss' ? 'issuer' : 'claims';
    const expected = e.claim === 'aud' ? ` (expected ${JSON.stringify(issuer.audience)})` : '';
    return new AuthenticationError(`token claim "${e.claim}" rejected: ${e.message}${expected}`, reason);
  }
  if (e instanceof errors.JWKSNoMatchingKey) return new AuthenticationError(`no key of issuer "${issuer.id}" matches the token's key id`, 'key');
  if (e instanceof errors.JWSSignatureVerificationFailed) return new AuthenticationError('the token signature is invalid', 'signature');
  if (e instanceof errors.JOSEAlgNotAllowed) return new AuthenticationError(`token algorithm not accepted (auth.issuers[${issuer.id}].algorithms: ${issuer.algorithms.join(', ')})`, 'signature');
  return new AuthenticationError(`the token was rejected: ${e.message}`, 'malformed');
}
