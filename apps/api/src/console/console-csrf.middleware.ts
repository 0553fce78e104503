import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { cookieValue, TOKEN_COOKIE } from '@krypton/auth';
import { ConsoleRequest, CSRF_COOKIE, CSRF_HEADER } from './console-request';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The console's actions are POSTs from its own pages, authenticated by the sign-in cookie. The
 * API accepts that cookie for reads only (libs/auth `bearerToken`): a cross-site form could send
 * it. Here a console POST is authenticated with the cookie only when it also carries the page's
 * CSRF token in a header (htmx sends it from `hx-headers` on <body>), which another site can
 * neither read nor set; the request then reaches the usual guards exactly as a REST call with a
 * bearer header would. The token cookie is SameSite=Strict and HttpOnly: the page gets its
 * value from the server, which renders it.
 */
@Injectable()
export class ConsoleCsrfMiddleware implements NestMiddleware {
  use(req: ConsoleRequest, res: Response, next: NextFunction): void {
    let token = cookieValue(req, CSRF_COOKIE);
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) {
      token = randomBytes(32).toString('base64url');
      res.cookie(CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https', path: '/console' });
    }
    req.consoleCsrf = token;
    if (!SAFE.has(req.method) && !req.headers['authorization']) {
      const sent = req.headers[CSRF_HEADER];
      const session = cookieValue(req, TOKEN_COOKIE);
      if (typeof sent === 'string' && same(sent, token) && session) req.headers['authorization'] = `Bearer ${session}`;
      else req.consoleCsrfRejected = true;
    }
    next();
  }
}
