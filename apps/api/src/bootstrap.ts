import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import type { BrokerConfig } from '@joinedup/config';
import { ApiModule } from './app.module.js';
import { rejectPrototypeKeys } from './common/prototype-keys.middleware.js';
import { createValidationPipe } from './common/validation.pipe.js';
import { mountQueueDashboard } from './coordination/queue-dashboard.js';

/** Builds the api exactly as main.ts runs it; e2e tests call this too. */
export async function createApi(config: BrokerConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // A nonce per response for the one inline script the GOV.UK page template has; everything else is 'self'.
  app.use((_req: unknown, res: { locals: Record<string, unknown> }, next: () => void) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          scriptSrc: [
            "'self'",
            (_req, res) => `'nonce-${(res as unknown as { locals: { cspNonce: string } }).locals.cspNonce}'`,
          ],
        },
      },
    }),
  );
  // The console's assets: GOV.UK Frontend as published (its CSS asks for fonts and images under /assets).
  const govuk = resolve('node_modules/govuk-frontend/dist/govuk');
  app.useStaticAssets(govuk, { prefix: '/console/govuk', index: false });
  app.useStaticAssets(`${govuk}/assets`, { prefix: '/console/assets', index: false });
  app.useStaticAssets(`${govuk}/assets`, { prefix: '/assets', index: false });
  app.useStaticAssets(resolve('apps/api/src/console/static'), { prefix: '/console/static', index: false });
  app.useBodyParser('json', { limit: config.maxBodyBytes, type: ['application/json', 'application/*+json'] });
  app.useBodyParser('urlencoded', { limit: config.maxBodyBytes, extended: false });
  app.use(rejectPrototypeKeys);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  app.set('trust proxy', false);
  mountQueueDashboard(app);

  const openApi = new DocumentBuilder()
    .setTitle('Joined-up broker')
    .setDescription('Records intake, linkage, governance, coordination and audit for agencies of one place.')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), { jsonDocumentUrl: 'docs-json' });
  return app;
}
