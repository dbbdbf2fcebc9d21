import { MAX_DURATION_MONTHS, type AmendConvention } from '../commands';
import { ErrorCodes } from '../error-codes';
import { invalid, refuse } from '../errors';
import { type ConventionAmended, type ConventionEvent, type TrancheFellDue, event } from '../events';
import { formatMoney, maxMoney } from '../money';
import { verifyRib } from '../rib';
import { type ConventionState, latestExpenseDate } from '../state';
import type { Party, PartyChanges } from '../events';
import { peakCommittedFrom } from './ceiling';
import { readCategories } from './registration';
import { periodEnd, requireActive, requireAmount, requireDate, requireNotBefore, requirePositiveInteger, requireText } from './guards';
import { bankAccountOf } from './registration';
import {
  type TrancheDraft, checkSchedule, checkSignatureTranchesFirst, readTrancheRequests, toTrancheTerms,
} from './terms';

/**
 * A1-A3. Tranches already due are history (A3) and keep their numbers; `changes.tranches` is the
 * new schedule of what follows them. An at-signature tranche in that schedule falls due when
 * the amendment is signed, as "dès signature de l'avenant" reads.
 */
export function amend(command: AmendConvention, state: ConventionState): ConventionEvent[] {
  const convention = requireActive(state, 'A1', 'amend the convention');
  const signedOn = requireDate(command.signedOn, 'signedOn');
  const signatories = {
    funder: requireText(command.signatories?.funder, 'signatories.funder', 'A1'),
    beneficiary: requireText(command.signatories?.beneficiary, 'signatories.beneficiary', 'A1'),
  };
  const changes = command.changes ?? {};
  if (typeof changes !== 'object') throw invalid(ErrorCodes.MALFORMED_COMMAND, 'A2', 'changes must be an object.', { field: 'changes' });
  const changed = ['ceiling', 'durationMonths', 'tranches', 'expenseCategories', 'funder', 'beneficiary']
    .filter((key) => (changes as Record<string, unknown>)[key] !== undefined);
  if (changed.length === 0) {
    throw refuse(ErrorCodes.EMPTY_AMENDMENT, 'A2',
      'An amendment must change the ceiling, the duration, the tranches not yet due, the eligible categories, or a party\'s representative or bank account.');
  }
  const ceiling = changes.ceiling !== undefined ? requireAmount(changes.ceiling, 'changes.ceiling', 'A2') : convention.ceiling;
  const durationMonths = changes.durationMonths !== undefined
    ? requirePositiveInteger(changes.durationMonths, 'changes.durationMonths', 'A2', MAX_DURATION_MONTHS)
    : convention.durationMonths;
  const alreadyDue: TrancheDraft[] = convention.tranches.filter((t) => t.dueOn !== undefined);
  const pending: TrancheDraft[] = changes.tranches !== undefined
    ? readTrancheRequests(changes.tranches, alreadyDue.length + 1, 'changes.tranches')
    : convention.tranches.filter((t) => t.dueOn === undefined);

  const expenseCategories = changes.expenseCategories !== undefined ? readCategories(changes.expenseCategories, 'changes.expenseCategories') : undefined;
  const funder = changes.funder !== undefined ? changedParty(convention.funder, changes.funder, 'funder') : undefined;
  const beneficiary = changes.beneficiary !== undefined ? changedParty(convention.beneficiary, changes.beneficiary, 'beneficiary') : undefined;

  requireNotBefore(signedOn, convention.effectiveOn, 'signedOn', 'the date the convention took effect', 'A1');
  if (convention.lastAmendedOn !== undefined) {
    requireNotBefore(signedOn, convention.lastAmendedOn, 'signedOn', `the date of amendment ${convention.amendments}`, 'A1');
  }
  // A convention whose period has ended has no effect left to amend: it cannot be revived.
  if (signedOn > convention.endsOn) {
    throw refuse(ErrorCodes.AMENDMENT_AFTER_PERIOD_END, 'A1',
      `The period of effect ended on ${convention.endsOn}; an amendment signed on ${signedOn} comes too late.`,
      { signedOn, endsOn: convention.endsOn });
  }
  // E4 at every date from the amendment on (A3): the new ceiling holds what is committed on
  // each of those dates, as an `asOf` balance would show it, and what is received.
  const committedPeak = peakCommittedFrom(convention, signedOn);
  if (ceiling.lessThan(maxMoney(convention.received, committedPeak))) {
    throw refuse(ErrorCodes.CEILING_BELOW_COMMITTED_OR_RECEIVED, 'A2',
      `The new ceiling ${formatMoney(ceiling)} is below what is already received (${formatMoney(convention.received)}) or committed from ${signedOn} on (${formatMoney(committedPeak)}).`,
      { ceiling: formatMoney(ceiling), received: formatMoney(convention.received), committed: formatMoney(committedPeak) });
  }
  checkSignatureTranchesFirst(pending, 'A2');
  const schedule = [...alreadyDue, ...pending];
  checkSchedule(schedule, ceiling, 'A2');
  const endsOn = periodEnd(convention.effectiveOn, durationMonths, 'changes.durationMonths');
  if (endsOn < signedOn) {
    throw refuse(ErrorCodes.PERIOD_ENDS_BEFORE_AMENDMENT, 'A3',
      `With ${durationMonths} months the period would end on ${endsOn}, before the amendment itself (${signedOn}).`,
      { endsOn, signedOn });
  }
  // A3: history is unchanged, so a shorter period must still cover the expense dates recorded.
  const latest = latestExpenseDate(convention);
  if (latest && latest.date > endsOn) {
    throw refuse(ErrorCodes.PERIOD_ENDS_BEFORE_RECORDED_EXPENSE, 'A3',
      `With ${durationMonths} months the period would end on ${endsOn}, before ${latest.date}, a date already recorded for expense ${latest.expenseId}.`,
      { endsOn, expenseId: latest.expenseId, date: latest.date });
  }
  // A3: likewise, the new categories must admit every expense already recorded as committed on
  // or after the amendment's date (E1 judges a commitment by the terms of its date).
  if (expenseCategories !== undefined && expenseCategories.length > 0) {
    const outside = [...convention.expenses.values()]
      .find((e) => !e.rejection && e.committedOn >= signedOn && !expenseCategories.includes(e.category));
    if (outside) {
      throw refuse(ErrorCodes.CATEGORY_NOT_ELIGIBLE, 'A3',
        `Expense ${outside.expenseId} was committed on ${outside.committedOn} in category "${outside.category}", which the categories of an amendment dated ${signedOn} would no longer admit.`,
        { expenseId: outside.expenseId, category: outside.category, committedOn: outside.committedOn, eligible: expenseCategories });
    }
  }

  const amended = event<ConventionAmended>('ConventionAmended', {
    number: convention.amendments + 1,
    signedOn,
    signatories,
    changes: {
      ...(changes.ceiling !== undefined ? { ceiling: formatMoney(ceiling) } : {}),
      ...(changes.durationMonths !== undefined ? { durationMonths } : {}),
      ...(changes.tranches !== undefined ? { tranches: pending.map(toTrancheTerms) } : {}),
      ...(expenseCategories !== undefined ? { expenseCategories } : {}),
      ...(funder !== undefined ? { funder: funder.changes } : {}),
      ...(beneficiary !== undefined ? { beneficiary: beneficiary.changes } : {}),
    },
    ceiling: formatMoney(ceiling),
    durationMonths,
    tranches: schedule.map(toTrancheTerms),
    endsOn,
    expenseCategories: expenseCategories ?? [...convention.expenseCategories],
    funder: funder?.party ?? convention.funder,
    beneficiary: beneficiary?.party ?? convention.beneficiary,
  });
  const fallingDue = pending
    .filter((t) => t.release.on === 'signature')
    .map((t) => event<TrancheFellDue>('TrancheFellDue', { tranche: t.number, amount: formatMoney(t.amount), dueOn: signedOn, cause: 'signature' }));
  return [amended, ...fallingDue];
}

/**
 * A2 (v2): a party's representative or bank account changes; the rest of the party stays. What
 * the event records of the change is what was checked, nothing else the request carried (T1).
 */
function changedParty(party: Party, changes: PartyChanges, role: 'funder' | 'beneficiary'): { party: Party; changes: PartyChanges } {
  if (changes === null || typeof changes !== 'object' || (changes.representative === undefined && changes.bankAccount === undefined)) {
    throw invalid(ErrorCodes.MALFORMED_COMMAND, 'A2', `changes.${role} must change the representative or the bank account.`, { field: `changes.${role}` });
  }
  const representative = changes.representative !== undefined ? requireText(changes.representative, `changes.${role}.representative`, 'A2') : undefined;
  if (changes.bankAccount !== undefined) verifyRib(changes.bankAccount, `changes.${role}.bankAccount`);
  const bankAccount = changes.bankAccount !== undefined ? bankAccountOf(changes.bankAccount, `changes.${role}.bankAccount`) : undefined;
  const recorded: PartyChanges = {
    ...(representative !== undefined ? { representative } : {}),
    ...(bankAccount !== undefined ? { bankAccount } : {}),
  };
  return { party: { ...party, ...recorded }, changes: recorded };
}
