import {
  event, type ConventionSigned, type ConventionTookEffect, type TrancheFellDue,
} from '../events';
import { activeSeed } from '../../testing/builders';
import { seedRegistration } from '../../testing/seed-convention';
import { given, historyOf } from '../../testing/specification';

const registered = () => historyOf([seedRegistration()]);
const funderSigned = (signedOn = '2020-05-04') =>
  historyOf([{ type: 'SignConvention', party: 'funder', signatory: 'Yves Le Breton', signedOn }], registered());

describe('S1-S2: signatures and taking effect', () => {
  it('S1: the first signature is recorded and nothing takes effect yet', () => {
    given(registered())
      .when({ type: 'SignConvention', party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-04' })
      .then([event<ConventionSigned>('ConventionSigned', { party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-04' })]);
  });

  it('S1/S2: the second signature makes it take effect on the later date and tranche 1 due', () => {
    given(funderSigned('2020-05-04'))
      .when({ type: 'SignConvention', party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' })
      .then([
        event<ConventionSigned>('ConventionSigned', { party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' }),
        event<ConventionTookEffect>('ConventionTookEffect', { effectiveOn: '2020-05-11', endsOn: '2021-05-11' }),
        event<TrancheFellDue>('TrancheFellDue', { tranche: 1, amount: '800000.00', dueOn: '2020-05-11', cause: 'signature' }),
      ]);
  });

  it('S1: effect is on the later signature even when the second signature is dated earlier', () => {
    const { events, state } = given(funderSigned('2020-05-20'))
      .when({ type: 'SignConvention', party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' })
      .thenOutcome();
    expect(events[1]).toEqual(event<ConventionTookEffect>('ConventionTookEffect', { effectiveOn: '2020-05-20', endsOn: '2021-05-20' }));
    expect(state).toMatchObject({ status: 'active', effectiveOn: '2020-05-20', endsOn: '2021-05-20' });
  });

  it('S1/M3: the period end is clamped to the end of the month', () => {
    const { events } = given(historyOf([{ type: 'SignConvention', party: 'funder', signatory: 'Y', signedOn: '2024-02-29' }], registered()))
      .when({ type: 'SignConvention', party: 'beneficiary', signatory: 'N', signedOn: '2024-02-29' })
      .thenOutcome();
    expect(events[1].data).toEqual({ effectiveOn: '2024-02-29', endsOn: '2025-02-28' });
  });

  it('M3: refuses a period that would end after the year 9999 (INVALID_DURATION)', () => {
    // A five-digit year is no business date (M2) and would compare as text before every other.
    // Decided on a "today" in 9999, or M4 would refuse these dates first.
    const farFuture = { today: '9999-12-31' };
    const history = historyOf([{ type: 'SignConvention', party: 'funder', signatory: 'Y', signedOn: '9999-06-01' }], registered(), farFuture);
    const error = given(history, farFuture).when({ type: 'SignConvention', party: 'beneficiary', signatory: 'N', signedOn: '9999-06-01' })
      .thenThrows('INVALID_DURATION', 'invalid');
    expect(error.rule).toBe('M3');
  });

  it('S1: each party signs once (ALREADY_SIGNED)', () => {
    given(funderSigned()).when({ type: 'SignConvention', party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-05' })
      .thenThrows('ALREADY_SIGNED', 'rule');
  });

  it('S1: signatures only on a draft (CONVENTION_NOT_DRAFT)', () => {
    given(activeSeed()).when({ type: 'SignConvention', party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-06-01' })
      .thenThrows('CONVENTION_NOT_DRAFT', 'rule');
  });

  it('M2: refuses an impossible signature date (INVALID_DATE)', () => {
    given(registered()).when({ type: 'SignConvention', party: 'funder', signatory: 'Y', signedOn: '2021-02-30' })
      .thenThrows('INVALID_DATE', 'invalid');
  });

  it('S1: refuses an unknown party (MALFORMED_COMMAND)', () => {
    given(registered()).when({ type: 'SignConvention', party: 'auditor' as 'funder', signatory: 'Y', signedOn: '2020-05-11' })
      .thenThrows('MALFORMED_COMMAND', 'invalid');
  });

  it('S1: commands needing an active convention are refused on a draft (CONVENTION_NOT_ACTIVE)', () => {
    given(registered()).when({ type: 'DrawUpStatement', cutoff: '2020-06-01', final: false }).thenThrows('CONVENTION_NOT_ACTIVE', 'rule');
  });
});
