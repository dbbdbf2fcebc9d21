import { sql } from 'kysely';
import { event, type ConventionEvent } from '@cl/domain';
import { applyBatch, createReadModelSchema, dumpReadModels, EVERY_CONVENTION, Projector } from '@cl/read-models';
import { describeEachDialect } from '../../../../test/read-models/support/read-model-dialects';
import {
  acceptedExpense, BENEFICIARY, E1, E1_DETAILS, inEffect, referenceCase, referenceCaseV1, registered, terminatedV1, useLedgerAndReadModels,
} from '../../../../test/read-models/support/ledger-fixture';

const C = 'c-0001';

describeEachDialect('projection of every event type', (harness) => {
  const fixture = useLedgerAndReadModels(harness);

  const given = (events: ConventionEvent[], conventionId = C) => fixture.ledger.append(conventionId, events);
  const when = given;
  const project = () => new Projector(fixture.ledger.store, fixture.readModels.db, { batchSize: 7 }).catchUp();
  const rows = (table: 'rm_conventions' | 'rm_expenses' | 'rm_money_facts') => fixture.readModels.db.selectFrom(table).selectAll().execute();

  it('ConventionRegistered: a draft convention with its terms, parties (organisations, holders) and derived IBANs', async () => {
    await when([registered(C)]);
    await project();
    const convention = await fixture.readModels.queries.getConvention(C);
    expect(convention).toMatchObject({
      id: C, reference: 'ANCT-DINUM-2020', status: 'draft', ceiling: '1600000.00', durationMonths: 12,
      effectiveOn: null, endsOn: null, signatures: [], amendmentsCount: 0,
      expenseCategories: ['devops', 'design', 'deployment', 'coaching'],
      budget: { fondsDeConcours: '1-2-00548', programme: '352', bop: '0352-CFSE' },
      tranches: [
        { number: 1, amount: '800000.00', release: { on: 'signature' } },
        { number: 2, amount: '400000.00', release: { on: 'consumption', threshold: '600000.00' } },
        { number: 3, amount: '400000.00', release: { on: 'consumption', threshold: '1000000.00' } },
      ],
    });
    expect(convention!.funder).toEqual({
      name: 'Agence nationale de la cohésion des territoires', representative: 'Yves Le Breton', organisation: '130026032', accountingOrganisation: null,
      bankAccount: { bankCode: '10071', branchCode: '59000', accountNumber: '00001020148', key: '89', holder: null },
      iban: 'FR7610071590000000102014889', signature: null,
    });
    expect(convention!.beneficiary).toMatchObject({
      organisation: '120027016', accountingOrganisation: 'SCBCM-SPM',
      bankAccount: expect.objectContaining({ holder: 'SCBCM SERVICES PREMIER MINISTRE' }), iban: 'FR7630001000640000009244140',
    });
    expect(await fixture.readModels.queries.listConventions({ scope: EVERY_CONVENTION, status: 'draft' })).toHaveLength(1);
    expect(await fixture.readModels.queries.listConventions({ scope: EVERY_CONVENTION, reference: 'OTHER' })).toEqual([]);
  });

  it('ConventionSigned: each party signature is kept', async () => {
    await given([registered(C)]);
    await when([event('ConventionSigned', { party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-09' })]);
    await project();
    const convention = await fixture.readModels.queries.getConvention(C);
    expect(convention!.signatures).toEqual([{ party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-09' }]);
    expect(convention!.status).toBe('draft');
  });

  it('ConventionTookEffect: active with its period of effect', async () => {
    await given(inEffect(C).slice(0, 3));
    await when([event('ConventionTookEffect', { effectiveOn: '2020-05-11', endsOn: '2021-05-11' })]);
    await project();
    expect(await fixture.readModels.queries.getConvention(C)).toMatchObject({ status: 'active', effectiveOn: '2020-05-11', endsOn: '2021-05-11' });
    expect((await fixture.readModels.queries.getBalance(C))!.status).toBe('active');
    expect(await fixture.readModels.queries.listConventions({ scope: EVERY_CONVENTION, status: 'active' })).toEqual([expect.objectContaining({ id: C, status: 'active' })]);
  });

  it('TrancheFellDue: the tranche is due and counts in due, not in called when at signature', async () => {
    await when(inEffect(C));
    await project();
    const balance = await fixture.readModels.queries.getBalance(C);
    expect(balance).toMatchObject({ due: '800000.00', called: '0.00', received: '0.00', outstanding: '800000.00' });
    expect(balance!.tranches.map((tranche) => tranche.status)).toEqual(['due', 'scheduled', 'scheduled']);
  });

  it('ExpenseCommitted, ServiceDone, Paid, Accepted: each step date, its details and the step sums', async () => {
    await given(inEffect(C));
    const steps = acceptedExpense('e1', 'devops', '400000.00', E1, 'devops work', E1_DETAILS);
    await when(steps.slice(0, 1), C);
    await project();
    expect(await fixture.readModels.queries.listExpenses(C)).toEqual([{
      expenseId: 'e1', category: 'devops', description: 'devops work', contract: null, amount: '400000.00', state: 'committed',
      committedOn: '2020-06-01', payee: { name: 'Octo Technology', siret: '41878960300044' }, commitmentNumber: 'EJ-2020-0042',
      serviceDoneOn: null, invoice: null, paidOn: null, paymentOrder: null, acceptedOn: null, rejection: null,
    }]);
    expect(await fixture.readModels.queries.getBalance(C)).toMatchObject({ committed: '400000.00', serviceDone: '0.00', paid: '0.00', consumed: '0.00' });

    await when(steps.slice(1, 2));
    await project();
    expect(await fixture.readModels.queries.getExpense(C, 'e1')).toMatchObject({
      state: 'service-done', serviceDoneOn: '2020-09-30', invoice: { number: 'F-2020-117', issuedOn: '2020-09-30' }, paymentOrder: null,
    });
    expect(await fixture.readModels.queries.getBalance(C)).toMatchObject({ committed: '400000.00', serviceDone: '400000.00', paid: '0.00' });

    await when(steps.slice(2, 3));
    await project();
    expect(await fixture.readModels.queries.getExpense(C, 'e1')).toMatchObject({ state: 'paid', paidOn: '2020-10-15', paymentOrder: 'MDT-2020-0815' });
    expect(await fixture.readModels.queries.getBalance(C)).toMatchObject({ paid: '400000.00', consumed: '0.00' });

    await when(steps.slice(3));
    await project();
    expect(await fixture.readModels.queries.getExpense(C, 'e1')).toMatchObject({ state: 'accepted', acceptedOn: '2020-11-15' });
    expect(await fixture.readModels.queries.getBalance(C)).toMatchObject({ committed: '400000.00', paid: '400000.00', consumed: '400000.00' });
  });

  it('ExpenseRejected: leaves every step sum and counts as rejected, with date, reason, step and recovery order (E3)', async () => {
    await given([...inEffect(C), ...acceptedExpense('e1', 'devops', '400000.00', E1)]);
    await when([event('ExpenseRejected', { expenseId: 'e1', on: '2020-12-01', reason: 'misused', atStep: 'accepted', recoveryOrder: 'TP-2020-0099' })]);
    await project();
    expect(await fixture.readModels.queries.getExpense(C, 'e1')).toMatchObject({
      state: 'rejected', acceptedOn: '2020-11-15', rejection: { on: '2020-12-01', reason: 'misused', atStep: 'accepted', recoveryOrder: 'TP-2020-0099' },
    });
    expect((await fixture.readModels.queries.getExpense(C, 'e1', '2020-11-30'))!.rejection).toBeNull();
    expect(await fixture.readModels.queries.getBalance(C)).toMatchObject({ committed: '0.00', consumed: '0.00', rejected: '400000.00' });
    expect(await fixture.readModels.queries.getBalance(C, '2020-11-30')).toMatchObject({ consumed: '400000.00', rejected: '0.00' });
  });

  it('StatementDrawnUp and StatementSigned: the frozen statement, its lines with their details, and signatures (D1, D2)', async () => {
    const events = referenceCase(C);
    const firstSignature = events.findIndex((e) => e.type === 'StatementSigned');
    await given(events.slice(0, firstSignature));
    await project();
    expect(await fixture.readModels.queries.getStatement(C, 1)).toMatchObject({
      number: 1, cutoff: '2020-12-31', drawnUpOn: '2021-01-04', final: false, total: '610000.75', previousCumulativeTotal: '0.00',
      cumulativeTotal: '610000.75', corrections: [], signatures: [], valid: false,
    });
    await when(events.slice(firstSignature, firstSignature + 2));
    await project();
    const statement = await fixture.readModels.queries.getStatement(C, 1);
    expect(statement!.lines).toEqual([
      {
        expenseId: 'e1', category: 'devops', description: 'devops work', amount: '400000.00', committedOn: '2020-06-01', serviceDoneOn: '2020-09-30', paidOn: '2020-10-15',
        contract: null, payee: { name: 'Octo Technology', siret: '41878960300044' }, commitmentNumber: 'EJ-2020-0042',
        invoice: { number: 'F-2020-117', issuedOn: '2020-09-30' }, paymentOrder: 'MDT-2020-0815',
      },
      {
        expenseId: 'e2', category: 'design', description: 'design, "UX" research', amount: '210000.75', committedOn: '2020-07-01', serviceDoneOn: '2020-10-31', paidOn: '2020-11-30',
        contract: null, payee: null, commitmentNumber: null, invoice: null, paymentOrder: null,
      },
    ]);
    expect(statement!.signatures).toEqual([
      { as: 'authorizing-officer', signatory: 'Ordonnateur DINUM', subject: 'ordonnateur-dinum', signedOn: '2021-01-05' },
      { as: 'public-accountant', signatory: 'Comptable CBCM', subject: 'comptable-cbcm', signedOn: '2021-01-06' },
    ]);
    expect(statement!.valid).toBe(true);
    expect(await fixture.readModels.queries.getStatement(C, 9)).toBeUndefined();
  });

  it('FundCallIssued then TrancheFellDue by fund call: counted as called and due (F1)', async () => {
    const events = referenceCase(C);
    const call = events.findIndex((e) => e.type === 'FundCallIssued');
    await given(events.slice(0, call));
    await when(events.slice(call, call + 2));
    await project();
    const fundCalls = await fixture.readModels.db.selectFrom('rm_fund_calls').selectAll().execute();
    expect(fundCalls).toEqual([expect.objectContaining({ convention_id: C, tranche: 2, statement_number: 1, issued_on: '2021-01-10', statement_cumulative_total: '610000.75' })]);
    expect(await fixture.readModels.queries.getBalance(C)).toMatchObject({ called: '400000.00', due: '1200000.00', received: '800000.00', outstanding: '400000.00' });
  });

  it('TranchePaid: partial then full payment of a tranche (P1)', async () => {
    const events = referenceCase(C);
    const secondPayment = events.findIndex((e) => e.type === 'TranchePaid' && e.data.paymentId === 'pay-2');
    await given(events.slice(0, secondPayment));
    await when([events[secondPayment]]);
    await project();
    let balance = await fixture.readModels.queries.getBalance(C);
    expect(balance!.tranches[1]).toEqual({ number: 2, amount: '400000.00', status: 'partially-paid', paid: '250000.00' });
    await when([events[secondPayment + 1]]);
    await project();
    balance = await fixture.readModels.queries.getBalance(C);
    expect(balance!.tranches.map(({ status, paid }) => ({ status, paid }))).toEqual([
      { status: 'paid', paid: '800000.00' }, { status: 'paid', paid: '400000.00' }, { status: 'scheduled', paid: '0.00' },
    ]);
    expect(balance).toMatchObject({ received: '1200000.00', outstanding: '0.00', remainingCeiling: '400000.00' });
  });

  it('ConventionAmended: new ceiling and schedule from the amendment date, history unchanged (A2, A3)', async () => {
    await given(inEffect(C));
    await when([event('ConventionAmended', {
      number: 1, signedOn: '2020-09-01', signatories: { funder: 'Yves Le Breton', beneficiary: 'Nadi Bou Hanna' },
      changes: { ceiling: '1700000.00', durationMonths: 18 },
      ceiling: '1700000.00', durationMonths: 18, endsOn: '2021-11-11',
      tranches: [
        { number: 1, amount: '800000.00', release: { on: 'signature' } },
        { number: 2, amount: '400000.00', release: { on: 'consumption', threshold: '600000.00' } },
        { number: 3, amount: '500000.00', release: { on: 'consumption', threshold: '1000000.00' } },
      ],
    })]);
    await project();
    expect(await fixture.readModels.queries.getConvention(C)).toMatchObject({
      ceiling: '1700000.00', durationMonths: 18, endsOn: '2021-11-11', amendmentsCount: 1,
      tranches: [expect.anything(), expect.anything(), { number: 3, amount: '500000.00', release: { on: 'consumption', threshold: '1000000.00' } }],
    });
    const after = await fixture.readModels.queries.getBalance(C, '2020-09-01');
    expect(after).toMatchObject({ ceiling: '1700000.00', remainingCeiling: '1700000.00' });
    expect(after!.tranches[2].amount).toBe('500000.00');
    const before = await fixture.readModels.queries.getBalance(C, '2020-08-31');
    expect(before).toMatchObject({ ceiling: '1600000.00' });
    expect(before!.tranches[2].amount).toBe('400000.00');
  });

  it('ConventionClosed, RestitutionPaid, ConventionSettled: restitution due, paid, outstanding (C1, R1)', async () => {
    const events = referenceCase(C);
    const closed = events.findIndex((e) => e.type === 'ConventionClosed');
    await given(events.slice(0, closed));
    await when([events[closed]]);
    await project();
    expect(await fixture.readModels.queries.getBalance(C)).toMatchObject({
      status: 'closed', consumed: '660000.75', received: '1200000.00', participation: '660000.75', provisional: false, outstanding: '0.00',
      restitution: { due: '539999.25', paid: '0.00', outstanding: '539999.25' },
      owedToBeneficiary: { due: '0.00', paid: '0.00', outstanding: '0.00' },
      tranches: [expect.objectContaining({ status: 'paid' }), expect.objectContaining({ status: 'paid' }), expect.objectContaining({ number: 3, status: 'lapsed' })],
    });
    expect((await fixture.readModels.queries.getBalance(C, '2021-06-29'))!.participation).toBeUndefined();
    await when([events[closed + 1]]);
    await project();
    expect((await fixture.readModels.queries.getBalance(C))!.restitution).toEqual({ due: '539999.25', paid: '300000.00', outstanding: '239999.25' });
    await when(events.slice(closed + 2));
    await project();
    const balance = await fixture.readModels.queries.getBalance(C);
    expect(balance).toMatchObject({ status: 'settled', restitution: { due: '539999.25', paid: '539999.25', outstanding: '0.00' } });
    expect(await fixture.readModels.queries.getConvention(C)).toMatchObject({ status: 'settled', closedOn: '2021-06-30', settledOn: '2021-08-15' });
    expect(await fixture.readModels.queries.getBalance(C, '2021-07-31')).toMatchObject({
      status: 'closed', restitution: { due: '539999.25', paid: '300000.00', outstanding: '239999.25' },
    });
  });

  it('ConventionTerminated: decided by one party, in effect later; provisional figures, what is owed either way (X1)', async () => {
    await given([...inEffect(C), ...acceptedExpense('e1', 'devops', '900000.00', E1)]);
    await given([event('TranchePaid', { paymentId: 'p1', tranche: 1, amount: '800000.00', paidOn: '2020-06-01' })]);
    await when([event('ConventionTerminated', {
      decidedOn: '2020-12-10', effectiveOn: '2020-12-15', decidedBy: 'funder', reason: 'beneficiary failed to report', atFault: 'beneficiary',
      participation: '900000.00', received: '800000.00', restitutionDue: '0.00', owedToBeneficiary: '100000.00', lapsedTranches: [2, 3],
    })]);
    await project();
    const termination = { decidedOn: '2020-12-10', effectiveOn: '2020-12-15', decidedBy: 'funder', reason: 'beneficiary failed to report', atFault: 'beneficiary' };
    expect(await fixture.readModels.queries.getConvention(C)).toMatchObject({ status: 'terminated', terminatedOn: '2020-12-15', termination });
    // Decided, not yet in effect: the decision shows, the convention is still active.
    expect(await fixture.readModels.queries.getConvention(C, '2020-12-12')).toMatchObject({ status: 'active', terminatedOn: null, termination });
    expect(await fixture.readModels.queries.getConvention(C, '2020-12-09')).toMatchObject({ termination: null });
    expect(await fixture.readModels.queries.getBalance(C)).toMatchObject({
      status: 'terminated', provisional: true, participation: '900000.00', received: '800000.00', due: '800000.00', outstanding: '0.00',
      remainingCeiling: '100000.00',
      restitution: { due: '0.00', paid: '0.00', outstanding: '0.00' },
      owedToBeneficiary: { due: '100000.00', paid: '0.00', outstanding: '100000.00' },
      tranches: [expect.objectContaining({ status: 'paid' }), expect.objectContaining({ status: 'lapsed' }), expect.objectContaining({ status: 'lapsed' })],
    });
    const before = (await fixture.readModels.queries.getBalance(C, '2020-12-14'))!;
    expect(before).toMatchObject({ status: 'active', provisional: false, restitution: { due: '0.00', paid: '0.00', outstanding: '0.00' } });
    expect(before.participation).toBeUndefined();
    expect(await fixture.readModels.db.selectFrom('rm_conventions').select(['termination_decided_on', 'termination_effective_on', 'termination_decided_by']).execute())
      .toEqual([{ termination_decided_on: '2020-12-10', termination_effective_on: '2020-12-15', termination_decided_by: 'funder' }]);
  });

  it('SettlementPaid: counted as paid to the beneficiary, not as received; then settled (R2)', async () => {
    await given([...inEffect(C), ...acceptedExpense('e1', 'devops', '900000.00', E1)]);
    await given([event('TranchePaid', { paymentId: 'p1', tranche: 1, amount: '800000.00', paidOn: '2020-06-01' })]);
    await given([
      event('StatementDrawnUp', {
        number: 1, cutoff: '2020-12-15', drawnUpOn: '2020-12-20', final: true, corrections: [],
        lines: [{
          expenseId: 'e1', category: 'devops', description: 'devops work', amount: '900000.00',
          committedOn: E1.committedOn, serviceDoneOn: E1.serviceDoneOn, paidOn: E1.paidOn,
        }],
        total: '900000.00', previousCumulativeTotal: '0.00', cumulativeTotal: '900000.00',
      }),
      event('StatementSigned', { number: 1, as: 'authorizing-officer', signatory: 'O', subject: 'o', signedOn: '2020-12-21' }),
      event('StatementSigned', { number: 1, as: 'public-accountant', signatory: 'C', subject: 'c', signedOn: '2020-12-22' }),
      event('ConventionClosed', {
        on: '2020-12-31', statement: 1, consumed: '900000.00', participation: '900000.00', received: '800000.00',
        restitutionDue: '0.00', owedToBeneficiary: '100000.00', lapsedTranches: [2, 3],
      }),
    ]);
    await when([
      event('SettlementPaid', { paymentId: 's1', amount: '100000.00', paidOn: '2021-01-15', reference: 'VIR-SOLDE' }),
      event('ConventionSettled', { on: '2021-01-15' }),
    ]);
    await project();
    expect(await fixture.readModels.queries.getBalance(C)).toMatchObject({
      status: 'settled', received: '800000.00', participation: '900000.00', remainingCeiling: '0.00',
      owedToBeneficiary: { due: '100000.00', paid: '100000.00', outstanding: '0.00' }, restitution: { due: '0.00', paid: '0.00', outstanding: '0.00' },
    });
    expect(await rows('rm_money_facts')).toContainEqual(expect.objectContaining({
      kind: 'settlement-payment', occurred_on: '2021-01-15', amount: '100000.00', payment_id: 's1', reference: 'VIR-SOLDE',
    }));
    expect(await fixture.readModels.queries.getConvention(C)).toMatchObject({ status: 'settled', settledOn: '2021-01-15' });
    expect(await fixture.readModels.queries.getConvention(C, '2021-01-14')).toMatchObject({ status: 'closed', settledOn: null });
  });

  it('a v1 history (no organisations, statements and closure v1) projects through upcast()', async () => {
    await fixture.ledger.appendStored(C, referenceCaseV1(C));
    await project();
    expect(await fixture.readModels.queries.getConvention(C)).toMatchObject({
      status: 'settled', settledOn: '2021-08-15', funder: expect.objectContaining({ organisation: '', accountingOrganisation: null }),
    });
    expect(await fixture.readModels.queries.getBalance(C)).toMatchObject({
      status: 'settled', participation: '660000.75', restitution: { due: '539999.25', paid: '539999.25', outstanding: '0.00' },
    });
    // v1 statements were drawn up on their cutoff, with no corrections and the previous total recomputed.
    expect(await fixture.readModels.queries.getStatement(C, 2)).toMatchObject({
      cutoff: '2021-05-11', drawnUpOn: '2021-05-11', corrections: [], previousCumulativeTotal: '610000.75', cumulativeTotal: '660000.75',
    });
    expect(await fixture.readModels.queries.listStatements(C, '2020-12-31')).toHaveLength(1);
  });

  it('a v1 termination (`on`, dueParticipation) projects through upcast(): decided and in effect that day', async () => {
    await fixture.ledger.appendStored(C, terminatedV1(C));
    await project();
    expect(await fixture.readModels.queries.getConvention(C)).toMatchObject({
      status: 'terminated', terminatedOn: '2020-12-15', termination: { decidedOn: '2020-12-15', effectiveOn: '2020-12-15', decidedBy: 'funder' },
    });
    expect(await fixture.readModels.queries.getBalance(C)).toMatchObject({
      participation: '900000.00', owedToBeneficiary: { due: '100000.00', paid: '0.00', outstanding: '100000.00' },
    });
  });

  it('every event lands in the history with revision, position, recordedAt, actor and request', async () => {
    await given(inEffect(C).slice(0, 1));
    const lastPosition = await fixture.ledger.append(C, inEffect(C).slice(1, 3), BENEFICIARY);
    await project();
    const { events, nextRevision } = (await fixture.readModels.queries.getEvents(C))!;
    expect(events.map((e) => [e.type, e.revision])).toEqual([['ConventionRegistered', 0], ['ConventionSigned', 1], ['ConventionSigned', 2]]);
    expect(nextRevision).toBeNull();
    const recorded = (await fixture.ledger.store.readStream(`convention-${C}`))[2];
    expect(events[2]).toEqual({
      eventId: recorded.id, type: 'ConventionSigned', schemaVersion: 1, revision: 2, position: lastPosition, recordedAt: '2024-01-02T03:04:05.000Z',
      actor: BENEFICIARY, data: { party: 'beneficiary', signatory: 'Nadi Bou Hanna', signedOn: '2020-05-11' },
      request: { requestId: recorded.metadata.requestId, correlationId: recorded.metadata.correlationId, causationId: recorded.metadata.causationId, idempotencyKey: null },
    });
    expect(await fixture.readModels.queries.getEvents('unknown')).toBeUndefined();
  });

  it('the history reads a page at a time', async () => {
    await given(inEffect(C));
    await project();
    const all = (await fixture.readModels.queries.getEvents(C))!.events;
    const first = (await fixture.readModels.queries.getEvents(C, { limit: 2 }))!;
    expect(first.events.map((e) => e.revision)).toEqual([0, 1]);
    expect(first.nextRevision).toBe(2);
    const rest = (await fixture.readModels.queries.getEvents(C, { fromRevision: first.nextRevision!, limit: 1000 }))!;
    expect(rest.nextRevision).toBeNull();
    expect([...first.events, ...rest.events]).toEqual(all);
  });

  it('tables of another layout version are dropped and rebuilt from the log (upgrade)', async () => {
    await given(inEffect(C));
    await project();
    const before = await dumpReadModels(fixture.readModels.db);
    await fixture.readModels.db.updateTable('read_model_schema_version').set({ version: 4 }).execute();
    // Version 4 also held rm_event_history, a copy of every event, since read from the store instead.
    await sql`create table rm_event_history (position bigint primary key, data text not null)`.execute(fixture.readModels.db);
    await createReadModelSchema(fixture.readModels.db);
    expect((await dumpReadModels(fixture.readModels.db)).rm_conventions).toEqual([]);
    const tables = (await fixture.readModels.db.introspection.getTables()).map((table) => table.name);
    expect(tables).toContain('rm_conventions');
    expect(tables).not.toContain('rm_event_history');
    await project();
    expect(await dumpReadModels(fixture.readModels.db)).toEqual(before);
  });

  it('applying the same events twice changes nothing (checkpoint guard)', async () => {
    await given(referenceCase(C));
    const batch = await fixture.ledger.store.readAll({ maxCount: 1000 });
    await applyBatch(fixture.readModels.db, batch.slice(0, 10));
    await applyBatch(fixture.readModels.db, batch);
    const once = await dumpReadModels(fixture.readModels.db);
    expect(await applyBatch(fixture.readModels.db, batch)).toBe(batch.at(-1)!.position);
    await applyBatch(fixture.readModels.db, batch.slice(5, 15));
    expect(await dumpReadModels(fixture.readModels.db)).toEqual(once);
    expect((await fixture.readModels.queries.getStats()).events).toBe(batch.length);
  });

  it('stats: indicators over all conventions, exact', async () => {
    await given(referenceCase(C));
    await given(inEffect('c-0002', 'OTHER-2021'), 'c-0002');
    await given([registered('c-0003', 'DRAFT-2022')], 'c-0003');
    await project();
    expect(await fixture.readModels.queries.getStats()).toMatchObject({
      conventions: { total: 3, byStatus: { draft: 1, active: 1, closed: 0, terminated: 0, settled: 1 }, provisional: 0 },
      ceiling: '4800000.00', received: '1200000.00', consumed: '660000.75', rejected: '30000.00', due: '2000000.00',
      participation: '660000.75',
      restitution: { due: '539999.25', paid: '539999.25', outstanding: '0.00' },
      owedToBeneficiary: { due: '0.00', paid: '0.00', outstanding: '0.00' },
      expenses: 4, statements: 2,
    });
    const balances = await fixture.readModels.db.selectFrom('rm_balances').select(['convention_id', 'status', 'consumed', 'received']).orderBy('convention_id').execute();
    expect(balances).toEqual([
      { convention_id: 'c-0001', status: 'settled', consumed: '660000.75', received: '1200000.00' },
      { convention_id: 'c-0002', status: 'active', consumed: '0.00', received: '0.00' },
      { convention_id: 'c-0003', status: 'draft', consumed: '0.00', received: '0.00' },
    ]);
  });

  it('money columns hold canonical two-decimal text on every dialect', async () => {
    await given(referenceCase(C));
    await project();
    for (const table of ['rm_expenses', 'rm_money_facts'] as const) {
      for (const row of await rows(table)) expect(row.amount).toMatch(/^\d+\.\d{2}$/);
    }
    expect((await rows('rm_conventions'))[0].ceiling).toBe('1600000.00');
  });
});
