import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireRoles } from '../../../auth/auth.decorators';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../shared/path-params';
import { statementResponse } from './statement-response';
import { DrawUpStatementCommand } from './draw-up-statement.command';
import { DrawUpStatementRequest } from './draw-up-statement.request';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('conventions')
export class DrawUpStatementController {
  constructor(private readonly sender: CommandSender) {}

  @Post(':id/statements')
  @HttpCode(201)
  @RequireRoles('beneficiary')
  async drawUpStatement(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: DrawUpStatementRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(DrawUpStatementCommand, conventionId, request, () => body.toCommand());
    return statementResponse(outcome);
  }
}
