import { Body, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { RegisterConventionRequest } from './register-convention.request';

/** T1-T4 (libs/domain/src/decide/registration.ts). */
@CommandController()
export class RegistrationController {
  constructor(private readonly commands: CommandSender) {}

  @CommandRoute('RegisterConvention', '', 201, 'funder')
  async register(@Body() body: RegisterConventionRequest, @Req() request: Request) {
    const id = this.commands.newId('convention', request);
    const { position } = await this.commands.send(id, request, body.toCommand(id));
    return { id, position };
  }
}
