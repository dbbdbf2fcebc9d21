import type { Request } from 'express';
import type { Actor } from '../../auth/roles';
import type { RequestContext } from '../../http/request-context';
import type { CommandContext } from '../application/convention-command.executor';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Builds the metadata context of a command from the authenticated request. */
export function commandContextOf(request: Request): CommandContext {
  const { actor, context } = request as Request & { actor: Actor; context: RequestContext };
  const idempotencyKey = request.header(IDEMPOTENCY_HEADER) || undefined;
  return { actor, requestId: context.requestId, correlationId: context.correlationId, idempotencyKey };
}
