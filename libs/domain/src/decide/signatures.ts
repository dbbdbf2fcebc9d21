import type { SignConvention } from '../commands';
import { maxDate } from '../dates';
import { ErrorCodes } from '../error-codes';
import { invalid, refuse } from '../errors';
import { type ConventionEvent, type ConventionSigned, type ConventionTookEffect, type TrancheFellDue, event } from '../events';
import { formatMoney } from '../money';
import type { ConventionState } from '../state';
import { periodEnd, requireDate, requireRegistered, requireText } from './guards';

/** S1-S2: the second signature makes the convention take effect and the at-signature tranches due. */
export function sign(command: SignConvention, state: ConventionState): ConventionEvent[] {
  const convention = requireRegistered(state);
  if (convention.status !== 'draft') {
    throw refuse(ErrorCodes.CONVENTION_NOT_DRAFT, 'S1', `The convention is ${convention.status}: signatures are collected only on a draft.`,
      { status: convention.status });
  }
  if (command.party !== 'funder' && command.party !== 'beneficiary') {
    throw invalid(ErrorCodes.MALFORMED_COMMAND, 'S1', 'party must be "funder" or "beneficiary".', { field: 'party' });
  }
  const signatory = requireText(command.signatory, 'signatory', 'S1');
  const signedOn = requireDate(command.signedOn, 'signedOn');
  const previous = convention.signatures[command.party];
  if (previous) {
    throw refuse(ErrorCodes.ALREADY_SIGNED, 'S1', `The ${command.party} already signed, on ${previous.signedOn} (${previous.signatory}).`);
  }

  const signed = event<ConventionSigned>('ConventionSigned', { party: command.party, signatory, signedOn });
  const other = convention.signatures[command.party === 'funder' ? 'beneficiary' : 'funder'];
  if (!other) return [signed];

  const effectiveOn = maxDate(signedOn, other.signedOn);
  return [
    signed,
    event<ConventionTookEffect>('ConventionTookEffect', { effectiveOn, endsOn: periodEnd(effectiveOn, convention.durationMonths, 'durationMonths') }),
    ...convention.tranches
      .filter((t) => t.release.on === 'signature')
      .map((t) => event<TrancheFellDue>('TrancheFellDue', { tranche: t.number, amount: formatMoney(t.amount), dueOn: effectiveOn, cause: 'signature' })),
  ];
}
