import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireRoles } from '../../../auth/auth.decorators';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../shared/path-params';
import { IssueFundCallCommand } from './issue-fund-call.command';
import { IssueFundCallRequest } from './issue-fund-call.request';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('conventions')
export class IssueFundCallController {
  constructor(private readonly sender: CommandSender) {}

  @Post(':id/fund-calls')
  @HttpCode(201)
  @RequireRoles('beneficiary')
  async issueFundCall(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: IssueFundCallRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(IssueFundCallCommand, conventionId, request, () => body.toCommand());
    return { tranche: body.tranche, position: outcome.position };
  }
}
