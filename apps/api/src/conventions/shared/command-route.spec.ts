import 'reflect-metadata';
import { DECORATORS } from '@nestjs/swagger/dist/constants';
import type { ConventionCommand } from '@cl/domain';
import { accessOf } from '../../auth/access-policy';
import { REQUIRED_ROLES } from '../../auth/auth.decorators';
import type { Role } from '../../auth/roles';
import { AmendmentsController } from '../amendments/amendments.controller';
import { ClosureController } from '../closure/closure.controller';
import { ExpensesController } from '../expenses/expenses.controller';
import { FundingController } from '../funding/funding.controller';
import { RegistrationController } from '../registration/registration.controller';
import { SignaturesController } from '../signatures/signatures.controller';
import { StatementsController } from '../statements/statements.controller';

const CONTROLLERS = [RegistrationController, SignaturesController, ExpensesController, StatementsController, FundingController, AmendmentsController, ClosureController];

/** Each command route: its command (from its operationId) and the roles the HTTP guard checks (none: the body names the role). */
function commandRoutes(): Array<{ command: ConventionCommand['type']; roles: Role[] }> {
  return CONTROLLERS.flatMap((controller) => Object.getOwnPropertyNames(controller.prototype)
    .map((method) => (controller.prototype as unknown as Record<string, unknown>)[method])
    .filter((handler): handler is object => typeof handler === 'function' && Reflect.hasMetadata(DECORATORS.API_OPERATION, handler))
    .map((handler) => ({
      command: (Reflect.getMetadata(DECORATORS.API_OPERATION, handler) as { operationId: string }).operationId.replace(/Controller_.*$/, '') as ConventionCommand['type'],
      roles: (Reflect.getMetadata(REQUIRED_ROLES, handler) as Role[] | undefined) ?? [],
    })));
}

/** Each role a body may name, per command whose role depends on its body. */
const BODY_NAMED: Partial<Record<ConventionCommand['type'], Array<Partial<ConventionCommand>>>> = {
  SignConvention: [{ party: 'funder' }, { party: 'beneficiary' }],
  SignStatement: [{ as: 'authorizing-officer' }, { as: 'public-accountant' }],
  TerminateConvention: [{ decidedBy: 'funder' }, { decidedBy: 'beneficiary' }],
};

/**
 * The HTTP guard checks the roles a route names (docs/api.md); the write path checks, with the
 * access policy, which party each role acts for. Both must name the same roles, or a route would
 * let through a role the policy then refuses, or the policy allow a role the route never admits.
 */
describe('command routes and the access policy agree on the roles of each command', () => {
  const routes = commandRoutes();

  it('finds every command of the domain, once', () => {
    expect(routes.map((r) => r.command).sort()).toEqual([
      'AcceptExpense', 'AmendConvention', 'CloseConvention', 'CommitExpense', 'DrawUpStatement', 'IssueFundCall', 'PayRestitution', 'PaySettlement',
      'PayTranche', 'RecordExpensePayment', 'RecordServiceDone', 'RegisterConvention', 'RejectExpense', 'SignConvention', 'SignStatement', 'TerminateConvention',
    ]);
  });

  it.each(commandRoutes())('$command: the route\'s roles are those the policy lets act', ({ command, roles }) => {
    const samples = BODY_NAMED[command] ?? [{}];
    const policyRoles = new Set(samples.flatMap((fields) => {
      const access = accessOf({ type: command, ...fields } as ConventionCommand);
      return access.kind === 'act' ? access.roles : access.kind === 'register' ? ['funder' as const] : [];
    }));
    // Routes whose role depends on the body name none: the controller checks the body's role.
    const expected = roles.length ? roles : samples.flatMap((fields) => Object.values(fields) as Role[]);
    expect([...policyRoles].sort()).toEqual([...expected].sort());
  });
});
