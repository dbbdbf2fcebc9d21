import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { AppConfig } from '@cl/config';
import { APP_CONFIG } from '../infrastructure/tokens';
import { ConventionCommandExecutor, STREAM_CACHE_LIMITS } from './application/convention-command.executor';
import { ConventionCommandHandler } from './application/convention-command.message';
import { ReferenceReservations } from './application/reference-reservations';
import { AmendmentsController } from './amendments/amendments.controller';
import { ClosureController } from './closure/closure.controller';
import { ExpensesController } from './expenses/expenses.controller';
import { FundingController } from './funding/funding.controller';
import { RegistrationController } from './registration/registration.controller';
import { CommandSender } from './shared/command-sender';
import { ID_GENERATOR, uuidIdGenerator } from './shared/id-generator';
import { SignaturesController } from './signatures/signatures.controller';
import { StatementsController } from './statements/statements.controller';

/**
 * The write side: one controller per area of the domain (libs/domain/src/decide/*.ts), and one
 * message and one handler on the CommandBus for every command.
 */
@Module({
  imports: [CqrsModule],
  controllers: [
    RegistrationController, SignaturesController, ExpensesController, StatementsController,
    FundingController, AmendmentsController, ClosureController,
  ],
  providers: [
    ConventionCommandExecutor, ReferenceReservations, ConventionCommandHandler, CommandSender,
    { provide: ID_GENERATOR, useValue: uuidIdGenerator },
    { provide: STREAM_CACHE_LIMITS, useFactory: (config: AppConfig) => config.streamCache, inject: [APP_CONFIG] },
  ],
})
export class ConventionsCommandsModule {}
