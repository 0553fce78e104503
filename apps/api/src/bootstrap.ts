import { INestApplication, ValidationPipe } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { viewerDir } from './viewer/viewer-dir';

/** Shared by main.ts and the end-to-end tests, so tests run the app exactly as production does. */
export function configureApp(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  const doc = new DocumentBuilder().setTitle('Krypton hub API').setDescription('REST API and DICOMweb of the Krypton regional imaging hub').setVersion('0.1').addBearerAuth().build();
  SwaggerModule.setup('api-docs', app, () => SwaggerModule.createDocument(app, doc));
  // The OHIF viewer's files, when installed: same origin as DICOMweb, so no CORS is needed.
  const viewer = viewerDir();
  if (existsSync(viewer) && 'useStaticAssets' in app) {
    (app as unknown as NestExpressApplication).useStaticAssets(viewer, { index: false, fallthrough: true });
  }
}
