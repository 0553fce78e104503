import pino, { Logger } from 'pino';

/**
 * Structured JSON logs on stdout, one line an event. Quiet by default: start-up, shutdown,
 * failures and long-operation progress at info; per-request and per-instance lines at debug.
 */
export function createLogger(app: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: app, level, base: { app, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}

export type { Logger };
