import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { raw } from 'express';
import { sendApiError } from './api-exception.filter';
import { ApiError } from './api-error';
import { DEFAULT_MAX_DEPTH, parseStrictJson, StrictJsonError } from './strict-json';

/** Methods whose requests carry a body; every POST route of this API takes a JSON object. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * JSON bodies with a size limit, parsed only once the caller is authenticated (app.factory.ts
 * installs this after the authentication middleware). Body-parser errors happen before Nest's
 * pipeline, so they are turned into the API's error body here (docs/api.md, "Errors"):
 * - a request with a body method whose Content-Type is not `application/json` (or is missing) is
 *   a 415 `UNSUPPORTED_MEDIA_TYPE`; a charset other than UTF-8, a 415 `UNSUPPORTED_CHARSET`;
 * - an oversized body is a 413 `PAYLOAD_TOO_LARGE`;
 * - bytes that are not UTF-8 are a 400 `INVALID_UTF8`;
 * - the text then goes through the strict scanner (strict-json.ts): `MALFORMED_JSON`,
 *   `BODY_TOO_DEEP`, `INVALID_UNICODE`, `FORBIDDEN_KEY`, `DUPLICATE_KEY`, all 400s, before any
 *   validation runs. Only then does JSON.parse build `request.body`.
 */
export function installJsonBodyParsing(app: INestApplication, limit: string, maxDepth = DEFAULT_MAX_DEPTH): void {
  app.use(requireJsonContentType);
  app.use(raw({ limit, type: (req) => BODY_METHODS.has(req.method ?? '') }));
  app.use(strictJsonBody(maxDepth));
  app.use((error: { type?: string; status?: number } | undefined, _req: Request, res: Response, next: NextFunction) => {
    if (!error) return next();
    let apiError: ApiError;
    if (error instanceof ApiError) apiError = error;
    else if (error.type === 'entity.too.large') apiError = new ApiError(413, 'PAYLOAD_TOO_LARGE', `request body exceeds ${limit}`);
    else if (error.type === 'encoding.unsupported') apiError = new ApiError(415, 'UNSUPPORTED_CONTENT_ENCODING', 'request body has a Content-Encoding that is not supported');
    else if (error.status && error.status >= 400 && error.status < 500) apiError = new ApiError(error.status, 'BAD_REQUEST', 'request body could not be read');
    else return next(error);
    sendApiError(res, apiError);
  });
}

/** 415 unless a body method's request says `application/json`, with no charset or UTF-8. */
export function requireJsonContentType(req: Request, _res: Response, next: NextFunction): void {
  if (!BODY_METHODS.has(req.method)) return next();
  const header = req.headers['content-type'];
  const [type, ...parameters] = (header ?? '').split(';').map((part) => part.trim());
  if (type?.toLowerCase() !== 'application/json') {
    return next(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'request body must be sent as Content-Type: application/json'));
  }
  for (const parameter of parameters) {
    const equals = parameter.indexOf('=');
    const name = (equals < 0 ? parameter : parameter.slice(0, equals)).trim().toLowerCase();
    if (name !== 'charset') continue;
    const charset = parameter.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    // 'utf8' is the common alias of the IANA name 'utf-8'.
    if (charset !== 'utf-8' && charset !== 'utf8') return next(new ApiError(415, 'UNSUPPORTED_CHARSET', 'request body must be encoded in UTF-8 (charset=utf-8 or none)'));
  }
  next();
}

/** Strict: a byte sequence that is not UTF-8 throws (a leading byte order mark is dropped, as before). */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes the raw body (strict UTF-8), scans it (strict-json.ts), then parses it. */
export function strictJsonBody(maxDepth: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    if (!Buffer.isBuffer(body)) return next();
    if (body.length === 0) {
      req.body = {};
      return next();
    }
    let text: string;
    try {
      text = UTF8.decode(body);
    } catch {
      return next(new ApiError(400, 'INVALID_UTF8', 'request body is not valid UTF-8'));
    }
    try {
      req.body = parseStrictJson(text, maxDepth);
    } catch (error) {
      if (error instanceof StrictJsonError) {
        const message = error.code === 'MALFORMED_JSON' ? 'request body must be a valid JSON object' : error.message;
        return next(new ApiError(400, error.code, message));
      }
      return next(new ApiError(400, 'MALFORMED_JSON', 'request body must be a valid JSON object'));
    }
    next();
  };
}
