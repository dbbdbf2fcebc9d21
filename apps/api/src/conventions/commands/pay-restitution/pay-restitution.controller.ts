import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireRoles } from '../../../auth/auth.decorators';
import { CommandSender } from '../shared/command-sender';
import { ID_GENERATOR, type IdGenerator } from '../shared/id-generator';
import { ConventionIdPipe } from '../shared/path-params';
import { settlementResponse } from '../shared/settlement-response';
import { PayRestitutionCommand } from './pay-restitution.command';
import { PayRestitutionRequest } from './pay-restitution.request';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('conventions')
export class PayRestitutionController {
  constructor(private readonly sender: CommandSender,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,) {}

  @Post(':id/restitutions')
  @HttpCode(201)
  @RequireRoles('beneficiary')
  async payRestitution(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Body() body: PayRestitutionRequest,
    @Req() request: Request,
  ) {
    let restitutionId = '';
    const outcome = await this.sender.send(PayRestitutionCommand, conventionId, request, (context) => body.toCommand((restitutionId = this.ids.newId('restitution', context))));
    return { restitutionId, ...settlementResponse(outcome) };
  }
}
