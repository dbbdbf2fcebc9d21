import { Body, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { ConventionRegistered } from '@cl/domain';
import { CommandController, CommandRoute } from '../shared/command-route';
import { CommandSender } from '../shared/command-sender';
import { RegisterConventionRequest } from './register-convention.request';

/** T1-T4, T6 (libs/domain/src/decide/registration.ts; the reference reservation in application/reference-reservations.ts). */
@CommandController()
export class RegistrationController {
  constructor(private readonly commands: CommandSender) {}

  @CommandRoute('RegisterConvention', '', 201, 'funder')
  async register(@Body() body: RegisterConventionRequest, @Req() request: Request) {
    const wanted = this.commands.newId('convention', request);
    const outcome = await this.commands.send(wanted, request, body.toCommand(wanted));
    // T6: a registration may take over the id of a reservation whose registration never happened.
    const registered = outcome.events.find((e): e is ConventionRegistered => e.type === 'ConventionRegistered');
    return { id: registered?.data.conventionId ?? wanted, position: outcome.position };
  }
}
