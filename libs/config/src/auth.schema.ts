import { z } from 'zod';

import { ROLE_NAMES } from './access.schema';

/** One list of roles: libs/access gives each its rules (access.schema.ts). */
export const HUB_ROLES = ROLE_NAMES;
export const hubRole = z.enum(HUB_ROLES);
export type HubRole = z.infer<typeof hubRole>;

const regex = z.string().refine((s) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

/**
 * Where one principal attribute comes from in a token: a claim (dot path for nested claims, e.g.
 * `realm_access.roles`), optionally cut by a pattern (its first group, else the whole match: Pro
 * Santé Connect's national identifier is `8` + RPPS) and translated by a map (an IdP's role names
 * or FINESS numbers to the hub's). A string is shorthand for `{ claim }`.
 */
export const claimRuleSchema = z.union([
  z
    .string()
    .min(1)
    .transform((claim) => ({ claim })),
  z.object({
    claim: z.string().min(1),
    pattern: regex.optional(),
    map: z.record(z.string(), z.string()).optional(),
  }),
]);
export type ClaimRule = { claim: string; pattern?: string; map?: Record<string, string> };

/** One identity provider whose JWTs the hub accepts as bearer tokens (and the viewer's cookie). */
export const oidcIssuerSchema = z.object({
  /** Short name used by `auth.login.issuer` and in logs. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  /** The exact `iss` value; also the base of OpenID discovery. */
  issuer: z.string().url(),
  /** The key set; when absent, the `jwks_uri` of the issuer's discovery document. */
  jwksUri: z.string().url().optional(),
  /** Accepted `aud` values: a token for another audience is refused. */
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  algorithms: z
    .array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']))
    .min(1)
    .default(['RS256', 'PS256', 'ES256']),
  /** Clock skew tolerated on `exp`/`nbf`/`iat`. */
  clockToleranceSeconds: z.coerce.number().int().min(0).max(300).default(30),
  /** How claims become the principal. Roles, sites and pools not known to the hub are dropped. */
  claims: z
    .object({
      user: claimRuleSchema.default('sub'),
      roles: claimRuleSchema.optional(),
      /** Site ids, or FINESS numbers of configured sites. */
      sites: claimRuleSchema.optional(),
      pools: claimRuleSchema.optional(),
      rpps: claimRuleSchema.optional(),
      ins: claimRuleSchema.optional(),
    })
    .default({}),
  /** Roles every token of this issuer gets (a patient identity provider: `[patient]`). */
  roles: z.array(hubRole).default([]),
});
export type OidcIssuerConfig = z.infer<typeof oidcIssuerSchema>;

/** The viewer's sign-in: the api is an OpenID Connect client (authorization code + PKCE) of one issuer. */
export const loginSchema = z.object({
  /** `id` of an entry of `auth.issuers`. */
  issuer: z.string().min(1),
  clientId: z.string().min(1),
  /** Absent: a public client (PKCE alone). Prefer the environment variable KRYPTON_LOGIN_CLIENT_SECRET. */
  clientSecret: z.string().min(1).optional(),
  scope: z.string().default('openid profile api'),
  /** The `resource` (RFC 8707) the access token is asked for, when the IdP needs one. */
  resource: z.string().url().optional(),
});

/** A client of the development identity provider (apps/idp). */
export const devIdpClientSchema = z.object({
  clientId: z.string().min(1),
  /** Absent: a public client (the viewer's sign-in through the api uses PKCE). */
  clientSecret: z.string().min(1).optional(),
  /** Extra redirect URIs; the api's `/auth/callback` is always allowed. */
  redirectUris: z.array(z.string().url()).default([]),
  grantTypes: z
    .array(z.enum(['authorization_code', 'client_credentials', 'password', 'refresh_token']))
    .min(1)
    .default(['authorization_code']),
  /** For client credentials: the configured user (`users[].name`) the client's tokens act as. */
  actsAs: z.string().min(1).optional(),
});

/**
 * The development identity provider `npm start` runs (apps/idp, oidc-provider): it signs in the
 * configured users with one password and puts their roles, site, pools and identifiers in the
 * tokens. Refused when KRYPTON_ENV=production.
 */
export const devIdpSchema = z.object({
  port: z.coerce.number().int().min(1).max(65535).default(8081),
  /** The issuer URL (what browsers and the api reach). */
  issuer: z.string().url().default('http://127.0.0.1:8081'),
  /** `scrypt$<salt b64>$<hash b64>` of the one demo password (`npm run --silent krypton -- auth hash-password`). */
  passwordHash: z.string().regex(/^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'scrypt$<salt base64>$<hash base64>'),
  /** The audience (resource indicator) of the access tokens it issues. */
  audience: z.string().url().default('urn:krypton:api'),
  accessTokenMinutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  clients: z.array(devIdpClientSchema).default([]),
});

export const authConfigSchema = z
  .object({
    issuers: z.array(oidcIssuerSchema).default([]),
    login: loginSchema.optional(),
    devIdp: devIdpSchema.optional(),
  })
  .default({});

export type AuthConfig = z.infer<typeof authConfigSchema>;
export type DevIdpConfig = z.infer<typeof devIdpSchema>;
export type LoginConfig = z.infer<typeof loginSchema>;
