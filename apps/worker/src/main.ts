import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
}

bootstrap().catch((e) => {
  // eslint-disable-next-line no-console
  console.error(JSON.stringify({ level: 'fatal', app: 'worker', msg: e.message }));
  process.exit(1);
});
