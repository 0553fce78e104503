/** Why a bearer token was not accepted (401); the message is what the caller reads. */
export class AuthenticationError extends Error {
  constructor(
    message: string,
    /** Machine-readable cause for logs and tests: `missing`, `unknown-token`, `issuer`, `audience`, `expired`, `key`, `signature`, `malformed`, `claims`. */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

/** A valid token that maps to nothing the hub can authorize (403): no hub role. */
export class NoHubRoleError extends Error {
  constructor(
    readonly user: string,
    readonly issuer: string,
  ) {
    super(`the token of "${user}" from issuer "${issuer}" maps to no hub role (auth.issuers[].claims.roles / roles)`);
    this.name = 'NoHubRoleError';
  }
}
