import { LoggerModule } from 'nestjs-pino';
import type { KryptonConfig } from '@krypton/config';
import { KRYPTON_CONFIG } from '@krypton/config';

/** Nest's own start-up chatter (one line per module and route) is kept for debug. */
const NEST_BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/**
 * Secrets an HTTP log line would otherwise carry: the bearer token, the viewer's token cookie and
 * the sign-in cookies the api sets. Never logged, at any level.
 */
export const REDACTED_HTTP_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'] as const;

/** nestjs-pino for the Nest apps: the HTTP access log goes to debug so that info stays quiet. */
export function loggingModule(app: string) {
  return LoggerModule.forRootAsync({
    inject: [KRYPTON_CONFIG],
    useFactory: (cfg: KryptonConfig) => ({
      pinoHttp: {
        name: app,
        level: cfg.log.level,
        base: { app, pid: process.pid },
        customLogLevel: (_req: unknown, res: { statusCode: number }, err?: Error) => (err || res.statusCode >= 500 ? 'error' : 'debug'),
        redact: { paths: [...REDACTED_HTTP_PATHS], censor: '[redacted]' },
        hooks: {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pino's hook signature
          logMethod(this: any, args: any[], method: (...a: any[]) => void, level: number) {
            const first = args[0];
            if (level === 30 && first && typeof first === 'object' && NEST_BOOT_CONTEXTS.has(first.context)) return this.debug(...args);
            return method.apply(this, args);
          },
        },
      },
    }),
  });
}
