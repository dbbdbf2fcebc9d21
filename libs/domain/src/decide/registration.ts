import { MAX_DURATION_MONTHS, type RegisterConvention } from '../commands';
import { ErrorCodes } from '../error-codes';
import { invalid, refuse } from '../errors';
import { type ConventionRegistered, type Party, event } from '../events';
import { formatMoney } from '../money';
import { verifyRib } from '../rib';
import type { ConventionState } from '../state';
import { requireAmount, requirePositiveInteger, requireText } from './guards';
import { checkSchedule, checkSignatureTranchesFirst, readTrancheRequests, toTrancheTerms } from './terms';

/** T1-T4. Everything the HTTP edge cannot see is checked here, input shape (400) before rules (422). */
export function register(command: RegisterConvention, state: ConventionState): ConventionRegistered[] {
  if (state !== null) {
    throw refuse(ErrorCodes.CONVENTION_ALREADY_REGISTERED, 'T1', `Convention ${state.conventionId} is already registered.`);
  }
  const conventionId = requireText(command.conventionId, 'conventionId', 'T1');
  checkParty(command.funder, 'funder');
  checkParty(command.beneficiary, 'beneficiary');
  const ceiling = requireAmount(command.ceiling, 'ceiling', 'T2');
  const durationMonths = requirePositiveInteger(command.durationMonths, 'durationMonths', 'T4', MAX_DURATION_MONTHS);
  const tranches = readTrancheRequests(command.tranches, 1);
  const expenseCategories = readCategories(command.expenseCategories);

  checkSchedule(tranches, ceiling, 'T3');
  checkSignatureTranchesFirst(tranches, 'T3');

  return [event<ConventionRegistered>('ConventionRegistered', {
    conventionId,
    reference: command.reference,
    title: command.title,
    funder: command.funder,
    beneficiary: command.beneficiary,
    ceiling: formatMoney(ceiling),
    durationMonths,
    tranches: tranches.map(toTrancheTerms),
    expenseCategories,
    ...(command.budget ? { budget: command.budget } : {}),
  })];
}

function checkParty(party: Party, role: 'funder' | 'beneficiary'): void {
  if (party === null || typeof party !== 'object') {
    throw invalid(ErrorCodes.MALFORMED_COMMAND, 'T1', `${role} is required.`, { field: role });
  }
  requireText(party.name, `${role}.name`, 'T1');
  requireText(party.representative, `${role}.representative`, 'T1');
  verifyRib(party.bankAccount, `${role}.bankAccount`);
}

/** T4: absent or empty means any category is eligible; duplicates would only add noise. */
function readCategories(categories: unknown): string[] {
  if (categories === undefined || categories === null) return [];
  if (!Array.isArray(categories)) {
    throw invalid(ErrorCodes.MALFORMED_COMMAND, 'T4', 'expenseCategories must be a list of names.', { field: 'expenseCategories' });
  }
  categories.forEach((c, i) => requireText(c, `expenseCategories[${i}]`, 'T4'));
  return [...new Set(categories as string[])];
}
