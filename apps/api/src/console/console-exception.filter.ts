import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AuditUnavailableError } from '@krypton/audit';
import { ConsolePages } from './console-pages.service';
import { ConsoleRequest, wantsFragment } from './console-request';

/** Statuses with their own sentences in the catalogue (`error.<status>.*`); others read as 500. */
const EXPLAINED = new Set([400, 401, 403, 404, 409, 422, 503]);

/** The HTTP exception's own message: what the API would have answered, shown as the technical detail. */
function detailOf(e: unknown): string {
  if (e instanceof HttpException) {
    const body = e.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : String(message ?? e.message);
  }
  return '';
}

/**
 * Errors of console routes as pages a person reads: what happened and what to do next, in their
 * language, with the API's own message as a technical detail (support reads it; the role × route
 * test finds the decision point's refusal in it). Not signed in on a page: straight to sign-in,
 * back here afterwards. For htmx requests the sentence goes to the page's alert region.
 */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('Console');

  constructor(private readonly pages: ConsolePages) {}

  catch(e: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<ConsoleRequest>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      res.destroy(e as Error);
      return;
    }
    let status = e instanceof HttpException ? e.getStatus() : e instanceof AuditUnavailableError ? 503 : 500;
    if (status === 500) this.log.error(`${req.method} ${req.path}: ${(e as Error)?.stack ?? e}`);
    const fragment = wantsFragment(req);
    const signIn = `/auth/login?returnTo=${encodeURIComponent(req.method === 'GET' ? req.originalUrl : req.headers['hx-current-url'] ? new URL(String(req.headers['hx-current-url'])).pathname : '/console')}`;
    if (status === 401 && req.consoleCsrfRejected && req.headers['cookie']?.includes('krypton_token=')) status = 419;
    if (status === 401 && req.method === 'GET' && !fragment) {
      res.redirect(302, signIn);
      return;
    }
    if (status === 401 && fragment) res.set('HX-Redirect', signIn);
    const key = status === 419 ? 'csrf' : EXPLAINED.has(status) ? String(status) : '500';
    const model = { key, status, detail: detailOf(e), signIn: status === 401 ? signIn : null, retry: status >= 500 || status === 419 };
    if (fragment) {
      res.set({ 'HX-Retarget': '#console-alert', 'HX-Reswap': 'innerHTML' });
      this.pages.fragment(req, res, 'errors/alert', model, status === 419 ? 403 : status);
      return;
    }
    this.pages.page(req, res, 'errors/error', model, { titleKey: `error.${key}.title`, status: status === 419 ? 403 : status });
  }
}
