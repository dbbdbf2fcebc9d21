import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export interface RequestContext {
  requestId: string;
  correlationId: string;
}

const HEADER_VALUE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Every request gets an id (echoed back) and a correlation id, both recorded in event metadata. */
export function requestContextMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = req.header('x-request-id');
  const requestId = given && HEADER_VALUE.test(given) ? given : randomUUID();
  const correlation = req.header('x-correlation-id');
  const context: RequestContext = { requestId, correlationId: correlation && HEADER_VALUE.test(correlation) ? correlation : requestId };
  (req as Request & { context: RequestContext }).context = context;
  res.setHeader('X-Request-Id', requestId);
  next();
}
