import { LoggerModule } from 'nestjs-pino';
import type { KryptonConfig } from '@krypton/config';
import { KRYPTON_CONFIG } from '@krypton/config';

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
      },
    }),
  });
}
