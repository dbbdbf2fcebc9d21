import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import type { ConventionCommand } from '@cl/domain';
import type { Actor } from '../../auth/roles';
import type { RequestContext } from '../../http/request-context';
import type { CommandContext, CommandOutcome } from '../application/convention-command.executor';
import { ConventionCommandMessage } from '../application/convention-command.message';
import { fingerprintOf } from '../../http/idempotency/request-fingerprint';
import { ID_GENERATOR, type IdGenerator } from './id-generator';

/** Controllers' one way onto the CommandBus: the domain command, with who asked taken from the request. */
@Injectable()
export class CommandSender {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  send(conventionId: string, request: Request, command: ConventionCommand): Promise<CommandOutcome> {
    return this.commandBus.execute(new ConventionCommandMessage(conventionId, command, commandContextOf(request)));
  }

  /**
   * The id of what a command creates (convention, expense, payment, restitution), derived from
   * the request's Idempotency-Key when it has one.
   */
  newId(kind: string, request: Request): string {
    return this.ids.newId(kind, commandContextOf(request));
  }
}

function commandContextOf(request: Request): CommandContext {
  const { actor, context } = request as Request & { actor: Actor; context: RequestContext };
  const idempotencyKey = request.header('idempotency-key') || undefined;
  // The fingerprint the idempotency interceptor computed (before any pipe), the same function otherwise.
  const requestFingerprint = idempotencyKey ? fingerprintOf(request) : undefined;
  return { actor, requestId: context.requestId, correlationId: context.correlationId, idempotencyKey, requestFingerprint };
}
