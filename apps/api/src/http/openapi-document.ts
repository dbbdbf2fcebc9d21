import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ApiErrorResponse } from './api-error.schema';

/**
 * The OpenAPI document of the running application, from the controllers' and DTOs' decorators.
 * One function for what `GET /docs-json` serves and what `npm run client:generate` turns into the
 * typed client of libs/api-client, so the two cannot drift apart.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('convention-ledger')
      .setDescription('Event-sourced ledger of public funding conventions. Contract: docs/api.md; errors are {statusCode, code, message}.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  // Error bodies carry details of their own per code (ApiErrorResponse).
  const errorSchema = document.components?.schemas?.[ApiErrorResponse.name];
  if (errorSchema && !('$ref' in errorSchema)) errorSchema.additionalProperties = true;
  return document;
}
