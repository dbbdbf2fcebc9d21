import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireRoles } from '../../../auth/auth.decorators';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../shared/path-params';
import { settlementResponse } from '../shared/settlement-response';
import { TerminateConventionCommand } from './terminate-convention.command';
import { TerminateConventionRequest } from './terminate-convention.request';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('conventions')
export class TerminateConventionController {
  constructor(private readonly sender: CommandSender) {}

  @Post(':id/termination')
  @HttpCode(201)
  @RequireRoles('funder')
  async terminateConvention(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: TerminateConventionRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(TerminateConventionCommand, conventionId, request, () => body.toCommand());
    return settlementResponse(outcome);
  }
}
