/** Builds the NestJS app: validation at the edge, one error shape, and the OpenAPI document from the schemas. */
import 'reflect-metadata';
import { BadRequestException, type INestApplication, type LogLevel, type RawBodyRequest } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import type { Level } from 'pino';
import { loadConfig } from '../config.js';
import { AppModule, type ApiDependencies } from './app.module.js';
import { ErrorsFilter } from './errors.js';
import { jsonLimitViolation } from './json-limits.js';
import { requestLogging } from './logging.js';
import { MetricsService } from './metrics/metrics.service.js';
import { rateLimiter } from './security/rate-limit.js';
import { BEARER_SCHEME } from './security/scope.decorator.js';
import { openApiComponents } from './zod.js';

/**
 * The largest body read. Larger than Temporal's 2 MB payload limit because inputs are stored
 * gzipped (src/temporal/codec.ts), so a large canvas fits; an input still over the limit once
 * encoded is refused at start with PayloadTooLargeError (413).
 */
export const BODY_LIMIT = '32mb';

export async function createApi(deps: ApiDependencies, logLevels: LogLevel[] | false = ['error', 'warn']): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(deps), {
    logger: logLevels,
    bodyParser: false,
    // Kept for jsonLimits, which reads what JSON.parse cannot tell: the literals as sent.
    rawBody: true,
  });
  // Before the body parser, so that rejected bodies are timed and logged too.
  app.use(requestLogging(logLevels === false ? 'silent' : (loadConfig().logLevel as Level)));
  app.use(app.get(MetricsService).middleware);
  // Before the body parser too: a client over its limit costs no parsing.
  if (deps.security?.rateLimit) app.use(rateLimiter(deps.security.rateLimit, deps.security.apiKeys));
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(jsonLimits);
  app.useGlobalFilters(new ErrorsFilter(BODY_LIMIT));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Celerity')
      .setDescription('A Celery-style task queue for TypeScript, made durable by Temporal.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key from CELERITY_API_KEYS, when keys are configured.' }, BEARER_SCHEME)
      .build(),
  );
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...openApiComponents() } };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  return app;
}

/** Refuses a JSON body that JSON.parse read inexactly or that nests too deep (json-limits.ts). */
function jsonLimits(req: RawBodyRequest<Request>, _res: Response, next: NextFunction): void {
  const raw = req.rawBody;
  req.rawBody = undefined;
  const violation = raw && req.is('json') ? jsonLimitViolation(raw.toString('utf8')) : undefined;
  next(violation ? new BadRequestException(violation) : undefined);
}
