import 'reflect-metadata';
import type { Server } from 'node:http';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { AppConfig } from '@cl/config';
import { AppModule } from './app.module';
import { AUTHENTICATOR, type Authenticator } from './auth/authenticator';
import { OPENAPI_PATH, PublicRoutes } from './auth/public-routes';
import { installJsonBodyParsing } from './http/body-parsing';
import { authenticationMiddleware, requireAuthentication } from './http/edge/authentication.middleware';
import { rateLimitMiddleware } from './http/edge/rate-limit.middleware';
import { securityHeaders } from './http/edge/security-headers';
import { PinoNestLogger } from './http/logging/pino-nest-logger';
import { createLogger, pinoLevelOf, requestLogMiddleware } from './http/logging/request-log';
import { requestContextMiddleware } from './http/request-context';
import { buildOpenApiDocument } from './http/openapi-document';
import { createValidationPipe } from './http/validation';
import type { InfrastructureOverrides } from './infrastructure/infrastructure.module';

/**
 * Builds the HTTP application exactly as production runs it; end-to-end tests use this too.
 *
 * The Express chain, in this order (docs/architecture.md, "The HTTP edge"): request id → request
 * log line (JSON, written once answered: http/logging/request-log.ts) → security headers → authentication (sets request.actor; public routes skip it) → rate limit
 * (per principal, else per IP) → 401 without a principal → JSON body parsing (415 unless
 * application/json in UTF-8, then the strict scanner of http/strict-json.ts) → Nest (the guard's
 * role checks, pipes, interceptors, controllers, the one error filter). So an unauthenticated
 * request is refused before a byte of its body is parsed.
 */
export async function createApp(
  config: AppConfig,
  overrides: InfrastructureOverrides = {},
  logLevels: LogLevel[] = ['error', 'warn'],
): Promise<INestApplication> {
  const logger = createLogger(pinoLevelOf(logLevels));
  // Nest's Logger writes pino lines from the first one (http/logging/pino-nest-logger.ts).
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, overrides), { bodyParser: false, logger: new PinoNestLogger(logger) });
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  applyServerTimeouts(app.getHttpServer(), config.httpTimeouts);

  const publicRoutes = PublicRoutes.discover(app.get(ModulesContainer));
  app.use(requestContextMiddleware);
  app.use(requestLogMiddleware(logger));
  app.use(securityHeaders());
  app.use(authenticationMiddleware(app.get<Authenticator>(AUTHENTICATOR), publicRoutes));
  if (config.rateLimitPerMinute > 0) app.use(rateLimitMiddleware(app.get<ThrottlerStorage>(ThrottlerStorage), config.rateLimitPerMinute));
  app.use(requireAuthentication);
  installJsonBodyParsing(app, config.bodyLimit);
  app.useGlobalPipes(createValidationPipe());
  // No enableShutdownHooks(): main.ts drains in-flight requests on SIGTERM first (http/graceful-shutdown.ts).

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(OPENAPI_PATH.slice(1), app, document, { jsonDocumentUrl: `${OPENAPI_PATH.slice(1)}-json` });
  return app;
}

/**
 * Slow clients cannot hold connections: the headers must arrive within `headersMs`, the whole
 * request within `requestMs`, and an idle keep-alive connection closes after `keepAliveMs`.
 * Node checks the first two on a timer (30 s by default), tightened here so they bite on time.
 */
export function applyServerTimeouts(server: Server, timeouts: AppConfig['httpTimeouts']): void {
  server.headersTimeout = timeouts.headersMs;
  server.requestTimeout = timeouts.requestMs;
  server.keepAliveTimeout = timeouts.keepAliveMs;
  // A public property of http.Server (read when it starts listening) that @types/node leaves out.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(250, Math.min(5_000, Math.floor(timeouts.headersMs / 4)));
}
