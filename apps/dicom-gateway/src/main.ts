import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { GatewayModule } from './gateway.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(GatewayModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // One misbehaving association must not stop the others: log and keep serving.
  const logger = app.get(Logger);
  process.on('unhandledRejection', (e: any) => logger.error({ err: e?.message ?? String(e) }, 'unhandled rejection in the DICOM gateway'));
}

bootstrap().catch((e) => {
  // eslint-disable-next-line no-console
  console.error(JSON.stringify({ level: 'fatal', app: 'dicom-gateway', msg: e.message }));
  process.exit(1);
});
