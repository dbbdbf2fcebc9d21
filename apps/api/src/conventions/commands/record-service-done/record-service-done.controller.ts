import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireRoles } from '../../../auth/auth.decorators';
import { CommandSender } from '../shared/command-sender';
import { ConventionIdPipe, ExpenseIdPipe } from '../shared/path-params';
import { RecordServiceDoneCommand } from './record-service-done.command';
import { RecordServiceDoneRequest } from './record-service-done.request';

@ApiTags('commands')
@ApiBearerAuth()
@Controller('conventions')
export class RecordServiceDoneController {
  constructor(private readonly sender: CommandSender) {}

  @Post(':id/expenses/:expenseId/service-done')
  @HttpCode(200)
  @RequireRoles('beneficiary')
  async recordServiceDone(
    @Param('id', ConventionIdPipe) conventionId: string,
    @Param('expenseId', ExpenseIdPipe) expenseId: string,
    @Body() body: RecordServiceDoneRequest,
    @Req() request: Request,
  ) {
    const outcome = await this.sender.send(RecordServiceDoneCommand, conventionId, request, () => body.toCommand(expenseId));
    return { expenseId, position: outcome.position };
  }
}
