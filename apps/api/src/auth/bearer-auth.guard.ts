import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators';
import { assertHasRole, AuthenticationRequiredError } from './auth.errors';
import type { Actor, Role } from './roles';

/**
 * The role checks. Who the caller is was settled before the body was read, by the authentication
 * middleware (http/edge/authentication.middleware.ts), which set `request.actor`; a route not
 * marked @PublicRoute() without one is refused here too (never reached in practice: the
 * middleware answers 401 first).
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const actor: Actor | undefined = context.switchToHttp().getRequest().actor;
    if (!actor) throw new AuthenticationRequiredError();

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles?.length) assertHasRole(actor, ...roles);
    return true;
  }
}
