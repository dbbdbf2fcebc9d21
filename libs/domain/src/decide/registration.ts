import { MAX_DURATION_MONTHS, type RegisterConvention } from '../commands';
import { ErrorCodes } from '../error-codes';
import { invalid, refuse } from '../errors';
import { type BankAccount, type ConventionRegistered, type Party, event } from '../events';
import { formatMoney } from '../money';
import { verifyRib } from '../rib';
import type { ConventionState } from '../state';
import { optionalText, requireAmount, requirePositiveInteger, requireText } from './guards';
import { checkSchedule, checkSignatureTranchesFirst, readTrancheRequests, toTrancheTerms } from './terms';

/** T1-T4. Everything the HTTP edge cannot see is checked here, input shape (400) before rules (422). */
export function register(command: RegisterConvention, state: ConventionState): ConventionRegistered[] {
  if (state !== null) {
    throw refuse(ErrorCodes.CONVENTION_ALREADY_REGISTERED, 'T1', `Convention ${state.conventionId} is already registered.`);
  }
  const conventionId = requireText(command.conventionId, 'conventionId', 'T1');
  const funder = readParty(command.funder, 'funder');
  const beneficiary = readParty(command.beneficiary, 'beneficiary');
  const reference = requireText(command.reference, 'reference', 'T6');
  const title = requireText(command.title, 'title', 'T1');
  const ceiling = requireAmount(command.ceiling, 'ceiling', 'T2');
  const durationMonths = requirePositiveInteger(command.durationMonths, 'durationMonths', 'T4', MAX_DURATION_MONTHS);
  const tranches = readTrancheRequests(command.tranches, 1);
  const expenseCategories = readCategories(command.expenseCategories, 'expenseCategories');

  checkSchedule(tranches, ceiling, 'T3');
  checkSignatureTranchesFirst(tranches, 'T3');

  return [event<ConventionRegistered>('ConventionRegistered', {
    conventionId,
    reference,
    title,
    funder,
    beneficiary,
    ceiling: formatMoney(ceiling),
    durationMonths,
    tranches: tranches.map(toTrancheTerms),
    expenseCategories,
    ...(command.budget ? { budget: command.budget } : {}),
  })];
}

/** T1 (v2): only the fields a party has are recorded, each checked. */
function readParty(party: Party, role: 'funder' | 'beneficiary'): Party {
  if (party === null || typeof party !== 'object') {
    throw invalid(ErrorCodes.MALFORMED_COMMAND, 'T1', `${role} is required.`, { field: role });
  }
  const accountingOrganisation = role === 'beneficiary' ? optionalText(party.accountingOrganisation, `${role}.accountingOrganisation`, 'T1') : undefined;
  verifyRib(party.bankAccount, `${role}.bankAccount`);
  return {
    name: requireText(party.name, `${role}.name`, 'T1'),
    representative: requireText(party.representative, `${role}.representative`, 'T1'),
    organisation: requireText(party.organisation, `${role}.organisation`, 'T1'),
    ...(accountingOrganisation !== undefined ? { accountingOrganisation } : {}),
    bankAccount: bankAccountOf(party.bankAccount, `${role}.bankAccount`),
  };
}

/** T1: a verified RIB as recorded, with its holder when named (nothing else the request carried). */
export function bankAccountOf(account: BankAccount, field: string): BankAccount {
  const holder = optionalText(account.holder, `${field}.holder`, 'T1');
  return {
    bankCode: account.bankCode, branchCode: account.branchCode, accountNumber: account.accountNumber, key: account.key,
    ...(holder !== undefined ? { holder } : {}),
  };
}

/** T4: absent or empty means any category is eligible; duplicates would only add noise. */
export function readCategories(categories: unknown, field: string): string[] {
  if (categories === undefined || categories === null) return [];
  if (!Array.isArray(categories)) {
    throw invalid(ErrorCodes.MALFORMED_COMMAND, 'T4', `${field} must be a list of names.`, { field });
  }
  categories.forEach((c, i) => requireText(c, `${field}[${i}]`, 'T4'));
  return [...new Set(categories as string[])];
}
