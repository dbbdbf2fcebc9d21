import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireRoles } from '../../../auth/auth.decorators';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../shared/path-params';
import { settlementResponse } from '../shared/settlement-response';
import { CloseConventionCommand } from './close-convention.command';
import { CloseConventionRequest } from './close-convention.request';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('conventions')
export class CloseConventionController {
  constructor(private readonly sender: CommandSender) {}

  @Post(':id/closure')
  @HttpCode(201)
  @RequireRoles('funder')
  async closeConvention(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: CloseConventionRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(CloseConventionCommand, conventionId, request, () => body.toCommand());
    return settlementResponse(outcome);
  }
}
