import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { Hl7GatewayModule } from './hl7-gateway.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(Hl7GatewayModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // One misbehaving connection must not stop the others: log and keep serving.
  const logger = app.get(Logger);
  process.on('unhandledRejection', (e: Error | undefined) => logger.error({ err: e?.message ?? String(e) }, 'unhandled rejection in the HL7 gateway'));
}

bootstrap().catch((e) => {
  // eslint-disable-next-line no-console
  console.error(JSON.stringify({ level: 'fatal', app: 'hl7-gateway', msg: e.message }));
  process.exit(1);
});
