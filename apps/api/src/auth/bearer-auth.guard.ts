import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators';
import { assertHasRole, AuthenticationRequiredError } from './auth.errors';
import { AUTHENTICATOR, type Authenticator } from './authenticator';
import type { Role } from './roles';

@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest();
    const header: unknown = request.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const actor = match ? await this.authenticator.authenticate(match[1]) : undefined;
    if (!actor) throw new AuthenticationRequiredError();
    request.actor = actor;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles?.length) assertHasRole(actor, ...roles);
    return true;
  }
}
