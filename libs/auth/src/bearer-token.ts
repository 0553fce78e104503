/** The cookie the viewer's requests carry the token in (set by the sign-in, or typed in the console). */
export const TOKEN_COOKIE = 'krypton_token';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

interface HttpRequestLike {
  readonly method: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

export function cookieValue(req: HttpRequestLike, name: string): string | undefined {
  const cookie = req.headers['cookie'];
  if (typeof cookie !== 'string') return undefined;
  for (const part of cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * The caller's token: the Authorization header, else — for reads only — the viewer's cookie. The
 * web viewer (OHIF, served by the api on the same origin) cannot add a header to its DICOMweb
 * requests; a request that changes something must carry the header, which a cross-site form
 * cannot forge.
 */
export function bearerToken(req: HttpRequestLike): string | undefined {
  const header = req.headers['authorization'];
  const match = typeof header === 'string' ? header.match(/^Bearer\s+(\S+)\s*$/i) : null;
  if (match) return match[1];
  return SAFE_METHODS.has(req.method) ? cookieValue(req, TOKEN_COOKIE) : undefined;
}
