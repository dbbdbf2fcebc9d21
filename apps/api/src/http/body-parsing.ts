import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { sendApiError } from './api-exception.filter';
import { ApiError } from './api-error';

/**
 * JSON bodies with a size limit, parsed only once the caller is authenticated (app.factory.ts
 * installs this after the authentication middleware). Body-parser errors happen before Nest's
 * pipeline, so they are turned into the API's error body here: malformed JSON is a 400, an
 * oversized body a 413.
 */
export function installJsonBodyParsing(app: INestApplication, limit: string): void {
  app.use(json({ limit, strict: true }));
  app.use((error: { type?: string; status?: number } | undefined, _req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    let apiError: ApiError;
    if (error.type === 'entity.too.large') apiError = new ApiError(413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${limit}`);
    else if (error.type === 'entity.parse.failed') apiError = new ApiError(400, 'MALFORMED_JSON', 'request body must be a valid JSON object');
    else if (error.status && error.status >= 400 && error.status < 500) apiError = new ApiError(error.status, 'BAD_REQUEST', 'request body could not be read');
    else return next(error);
    sendApiError(res, apiError);
  });
}
