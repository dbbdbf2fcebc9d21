import { applyDecorators, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ConventionCommand } from '@cl/domain';
import { RequireRoles } from '../../auth/auth.decorators';
import type { Role } from '../../auth/roles';
import { CommandErrorResponses } from '../../http/api-error.schema';
import { LoggedCommand } from '../../http/logging/command-log.interceptor';
import { COMMAND_RESPONSES } from './command-responses';

/** A command controller (one per area): under /conventions, documented as commands, bearer-protected. */
export const CommandController = () => applyDecorators(ApiTags('commands'), ApiBearerAuth(), Controller('conventions'));

/**
 * The endpoint of one domain command (API.md): POST, its success status, and the roles that may
 * send it (none listed: the handler checks a role that depends on the body). Its OpenAPI
 * operationId stays `<Command>Controller_<method>`, as when each command had its own controller,
 * so that generated clients keep their names.
 */
export const CommandRoute = (command: ConventionCommand['type'], path: string, status: 200 | 201, ...roles: Role[]): MethodDecorator =>
  (target, method, descriptor) =>
    applyDecorators(
      Post(path),
      HttpCode(status),
      LoggedCommand(command),
      ApiHeader({ name: 'Idempotency-Key', required: false, description: 'retrying with the same key and body returns the first response and records nothing new' }),
      ApiResponse({ status, description: 'recorded', type: COMMAND_RESPONSES[command] }),
      CommandErrorResponses(),
      ApiOperation({ operationId: `${command}Controller_${String(method)}`, summary: roles.length ? `roles: ${roles.join(', ')}` : undefined }),
      ...(roles.length ? [RequireRoles(...roles)] : []),
    )(target, method, descriptor);
