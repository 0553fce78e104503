import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { KRYPTON_CONFIG, KryptonConfig, loadConfig, tlsServerOptions } from '@krypton/config';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';

async function bootstrap(): Promise<void> {
  // HTTPS is decided before Nest builds the server, so the TLS files are read from the configuration here.
  const tls = loadConfig().http.tls;
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, ...(tls ? { httpsOptions: tlsServerOptions(tls, 'http.tls') } : {}) });
  configureApp(app);
  const cfg = app.get<KryptonConfig>(KRYPTON_CONFIG);
  await app.listen(cfg.http.port);
  app.get(Logger).log(`API listening on ${tls ? 'https' : 'http'} :${cfg.http.port} (DICOMweb at /dicomweb, OpenAPI at /api-docs)`, 'Api');
}

bootstrap().catch((e) => {
  // eslint-disable-next-line no-console
  console.error(JSON.stringify({ level: 'fatal', app: 'api', msg: e.message }));
  process.exit(1);
});
