import { LoggerModule } from 'nestjs-pino';
import type { KryptonConfig } from '@krypton/config';
import { KRYPTON_CONFIG } from '@krypton/config';

/** Nest's own start-up chatter (one line per module and route) is kept for debug. */
const NEST_BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

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
        redact: ['req.headers.authorization'],
        hooks: {
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
