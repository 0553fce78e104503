import type ProviderClass from 'oidc-provider';
import type { errors as OidcErrors } from 'oidc-provider';

/**
 * oidc-provider 8 is an ES module; Node 20.19+ loads it with require(). The default export is
 * taken from the module namespace by hand because TypeScript's CommonJS interop would otherwise
 * wrap the namespace once more.
 */
export function oidcProvider(): { Provider: typeof ProviderClass; errors: typeof OidcErrors } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('oidc-provider');
  return { Provider: mod.default, errors: mod.errors };
}
