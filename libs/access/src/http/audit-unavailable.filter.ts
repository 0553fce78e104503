import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AuditUnavailableError } from '@krypton/audit';

/** An access whose audit record cannot be made durable is refused: 503, never the data. */
@Catch(AuditUnavailableError)
export class AuditUnavailableFilter implements ExceptionFilter {
  catch(e: AuditUnavailableError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) {
      res.destroy(e);
      return;
    }
    res.status(503).json({ statusCode: 503, message: e.message, error: 'Service Unavailable' });
  }
}
