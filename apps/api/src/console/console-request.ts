import type { Request } from 'express';
import type { Principal } from '@krypton/auth';
import { cookieValue } from '@krypton/auth';
import { Locale, pickLocale } from './i18n/catalogue';

/** The console's language cookie (`fr` or `en`), set by /console/lang/:locale. */
export const LANG_COOKIE = 'krypton_lang';
/** Double-submit token against cross-site form posts: cookie value == X-Krypton-CSRF header. */
export const CSRF_COOKIE = 'krypton_csrf';
export const CSRF_HEADER = 'x-krypton-csrf';

/** What the console's middleware and the guards leave on a request. */
export type ConsoleRequest = Request & {
  principal?: Principal;
  consoleCsrf?: string;
  /** An unsafe request whose CSRF header did not match: the guard then sees no token (401), the filter says why. */
  consoleCsrfRejected?: boolean;
};

export function requestLocale(req: Request): Locale {
  return pickLocale(cookieValue(req, LANG_COOKIE), req.headers['accept-language']);
}

/** An htmx request that wants a fragment (not a boosted navigation, which wants the whole page). */
export function wantsFragment(req: Request): boolean {
  return req.headers['hx-request'] === 'true' && req.headers['hx-boosted'] !== 'true';
}

/** Only a path inside the console: a language switch or a sign-in must not become an open redirect. */
export function consoleReturnTo(value: unknown): string {
  return typeof value === 'string' && /^\/console(?:[/?#]|$)/.test(value) && !/[\\]/.test(value) ? value : '/console';
}
