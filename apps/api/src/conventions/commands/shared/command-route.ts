import { applyDecorators, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../../../auth/auth.decorators';
import type { Role } from '../../../auth/roles';
import { CommandErrorResponses, RecordedResponse } from '../../../http/api-error.schema';

/** A command slice's controller: under /conventions, documented as a command, bearer-protected. */
export const CommandController = () => applyDecorators(ApiTags('commands'), ApiBearerAuth(), Controller('conventions'));

/**
 * A command endpoint of docs/api.md: POST, its success status, and the roles that may send it (none
 * listed: the handler checks a role that depends on the body).
 */
export const CommandRoute = (path: string, status: 200 | 201, ...roles: Role[]) =>
  applyDecorators(
    Post(path),
    HttpCode(status),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'retrying with the same key and body returns the first response and records nothing new' }),
    ApiResponse({ status, description: 'recorded', type: RecordedResponse }),
    CommandErrorResponses(),
    ...(roles.length ? [RequireRoles(...roles), ApiOperation({ summary: `roles: ${roles.join(', ')}` })] : []),
  );
