import { randomUUID } from 'node:crypto';
import { principalIdentity } from '../../auth/roles';
import { uuidV5 } from '../../infrastructure/deterministic-id';
import type { CommandContext } from '../application/convention-command.executor';

export const ID_GENERATOR = Symbol('ID_GENERATOR');

export interface IdGenerator {
  /** A new id for an entity a command creates (convention, expense, payment...). */
  newId(kind: string, context: CommandContext): string;
}

/**
 * With an Idempotency-Key the id is derived from it and the principal (organisation and subject),
 * so a retried creation can only ever target the same entity, and two principals never derive
 * the same id; without one it is random.
 */
export const uuidIdGenerator: IdGenerator = {
  newId: (kind, context) => (context.idempotencyKey ? uuidV5(`${kind}:${principalIdentity(context.actor)}:${JSON.stringify(context.idempotencyKey)}`) : randomUUID()),
};
