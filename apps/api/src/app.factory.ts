import 'reflect-metadata';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@cl/config';
import { AppModule } from './app.module';
import { installJsonBodyParsing } from './http/body-parsing';
import { createValidationPipe } from './http/validation';
import type { InfrastructureOverrides } from './infrastructure/infrastructure.module';

/** Builds the HTTP application exactly as production runs it; end-to-end tests use this too. */
export async function createApp(
  config: AppConfig,
  overrides: InfrastructureOverrides = {},
  logLevels: LogLevel[] = ['error', 'warn'],
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.forRoot(config, overrides), { bodyParser: false, logger: logLevels });
  installJsonBodyParsing(app, config.bodyLimit);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('convention-ledger')
      .setDescription('Event-sourced ledger of public funding conventions. Contract: docs/api.md; errors are {statusCode, code, message}.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
