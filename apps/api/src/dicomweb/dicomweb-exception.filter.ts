import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { InvalidMatchKeyError } from '@krypton/catalog';
import { AuditUnavailableError } from '@krypton/audit';
import { DicomwebError, warningHeader } from './dicomweb-errors';
import { sendJson } from './multipart-response';

/**
 * Renders every failure of a DICOMweb route, the auth guard's 401/403 included, as
 * `{ "error": message, "status": N }` with the message repeated in a Warning header (PS3.18 8.6.1
 * asks for a Warning on 4xx answers). Once a multipart answer has started streaming the status
 * cannot change: the connection is cut so the client sees an incomplete body, never a short one
 * that looks whole.
 */
@Catch()
export class DicomwebExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('DICOMweb');

  catch(e: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let message = 'internal error';
    if (e instanceof DicomwebError) {
      status = e.status;
      message = e.message;
    } else if (e instanceof AuditUnavailableError) {
      // An access that cannot be audited is refused.
      status = 503;
      message = e.message;
    } else if (e instanceof InvalidMatchKeyError) {
      status = 400;
      message = e.message;
    } else if (e instanceof HttpException) {
      status = e.getStatus();
      const body = e.getResponse();
      message = typeof body === 'string' ? body : String((body as { message?: unknown }).message ?? e.message);
    }
    if (status >= 500) this.log.error(`${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? e}`, (e as Error)?.stack);
    if (res.headersSent) {
      res.destroy(e instanceof Error ? e : undefined);
      return;
    }
    if (status < 500) res.setHeader('Warning', warningHeader(message));
    sendJson(res, status, 'application/json', { error: message, status });
  }
}
