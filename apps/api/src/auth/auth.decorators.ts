import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor, Role } from './roles';

export const PUBLIC_ROUTE = 'auth:public';
export const REQUIRED_ROLES = 'auth:roles';

/** No token needed (GET /stats, GET /health, the OpenAPI pages). */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);

/** The caller needs at least one of these roles. Routes without it accept any authenticated role. */
export const RequireRoles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => ctx.switchToHttp().getRequest().actor);
