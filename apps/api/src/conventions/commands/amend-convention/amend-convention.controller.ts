import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { ConventionAmended } from '@cl/domain';
import { RequireRoles } from '../../../auth/auth.decorators';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe } from '../shared/path-params';
import { AmendConventionCommand } from './amend-convention.command';
import { AmendConventionRequest } from './amend-convention.request';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('conventions')
export class AmendConventionController {
  constructor(private readonly sender: CommandSender) {}

  @Post(':id/amendments')
  @HttpCode(201)
  @RequireRoles('funder')
  async amendConvention(@Param('id', ConventionIdPipe) conventionId: string, @Body() body: AmendConventionRequest, @Req() request: Request) {
    const outcome = await this.sender.send(AmendConventionCommand, conventionId, request, () => body.toCommand());
    const amended = outcome.events.find((e): e is ConventionAmended => e.type === 'ConventionAmended');
    return { number: amended?.data.number, endsOn: amended?.data.endsOn, position: outcome.position };
  }
}
