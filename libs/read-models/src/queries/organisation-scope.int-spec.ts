import { event } from '@cl/domain';
import { EVERY_CONVENTION, Projector, type OrganisationScope } from '@cl/read-models';
import { describeEachDialect, type ReadModelTestDb } from '../../../../test/read-models/support/read-model-dialects';
import { LedgerFixture, SEED_TERMS, type StoredEventShape } from '../../../../test/read-models/support/ledger-fixture';

const ANCT = '130026032';
const DINUM = '120027016';
const SCBCM = 'SCBCM-SPM';
const OTHER = '130025265';

/** A registration with these organisations (accounting organisation only when given). */
const registeredWith = (conventionId: string, funder: string, beneficiary: string, accounting?: string) => {
  const { accountingOrganisation: _seeds, ...seedBeneficiary } = SEED_TERMS.beneficiary;
  return event('ConventionRegistered', {
    ...SEED_TERMS, conventionId, reference: conventionId,
    funder: { ...SEED_TERMS.funder, organisation: funder },
    beneficiary: { ...seedBeneficiary, organisation: beneficiary, ...(accounting !== undefined ? { accountingOrganisation: accounting } : {}) },
  });
};

/** What GET /conventions filters on (the API's access policy computes the scope; docs/security.md). */
describeEachDialect('conventions within an organisation scope', (harness) => {
  let ledger: LedgerFixture;
  let readModels: ReadModelTestDb;

  beforeAll(async () => {
    ledger = LedgerFixture.open();
    readModels = await harness.open();
    await ledger.append('seed', [registeredWith('seed', ANCT, DINUM, SCBCM)]);
    await ledger.append('own-accountant', [registeredWith('own-accountant', ANCT, DINUM)]);
    await ledger.append('reversed', [registeredWith('reversed', DINUM, ANCT)]);
    await ledger.append('elsewhere', [registeredWith('elsewhere', OTHER, OTHER, SCBCM)]);
    // Recorded before v2: the upcaster gives its parties no organisation ('').
    const { organisation: _f, ...funder } = SEED_TERMS.funder;
    const { organisation: _b, accountingOrganisation: _a, ...beneficiary } = SEED_TERMS.beneficiary;
    const v1: StoredEventShape = { type: 'ConventionRegistered', schemaVersion: 1, data: { ...SEED_TERMS, conventionId: 'v1', reference: 'v1', funder, beneficiary } };
    await ledger.appendStored('v1', [v1]);
    await new Projector(ledger.store, readModels.db).catchUp();
  });
  afterAll(async () => {
    await readModels?.close();
    await ledger?.close();
  });

  const scoped = (organisation: string, ...sides: ('funder' | 'beneficiary' | 'accounting')[]): OrganisationScope => ({ kind: 'organisation', organisation, sides });
  const listed = async (scope: OrganisationScope, filter: { status?: 'draft' | 'active'; reference?: string } = {}) =>
    (await readModels.queries.listConventions({ scope, ...filter })).map((c) => c.id).sort();

  it.each<[string, OrganisationScope, string[]]>([
    ['every convention', EVERY_CONVENTION, ['elsewhere', 'own-accountant', 'reversed', 'seed', 'v1']],
    ['the funder ANCT', scoped(ANCT, 'funder'), ['own-accountant', 'seed']],
    ['the beneficiary DINUM', scoped(DINUM, 'beneficiary'), ['own-accountant', 'seed']],
    ['the accounting organisation SCBCM-SPM', scoped(SCBCM, 'accounting'), ['elsewhere', 'seed']],
    ['DINUM as accounting organisation: its own where none is named', scoped(DINUM, 'accounting'), ['own-accountant']],
    ['ANCT as funder and beneficiary', scoped(ANCT, 'funder', 'beneficiary'), ['own-accountant', 'reversed', 'seed']],
    ['a scoped auditor of SCBCM-SPM (every side)', scoped(SCBCM, 'funder', 'beneficiary', 'accounting'), ['elsewhere', 'seed']],
    ['a scoped auditor of DINUM (every side)', scoped(DINUM, 'funder', 'beneficiary', 'accounting'), ['own-accountant', 'reversed', 'seed']],
    ['no side', scoped(ANCT), []],
    ['an organisation that is no party', scoped('999999999', 'funder', 'beneficiary', 'accounting'), []],
  ])('%s', async (_label, scope, ids) => {
    expect(await listed(scope)).toEqual(ids);
  });

  it('the status and reference filters apply within the scope', async () => {
    expect(await listed(scoped(ANCT, 'funder'), { reference: 'seed' })).toEqual(['seed']);
    expect(await listed(scoped(ANCT, 'funder'), { reference: 'elsewhere' })).toEqual([]);
    expect(await listed(scoped(SCBCM, 'accounting'), { status: 'draft' })).toEqual(['elsewhere', 'seed']);
    expect(await listed(scoped(SCBCM, 'accounting'), { status: 'active' })).toEqual([]);
  });

  it('partiesOf: the organisations access is keyed on, or undefined for an unknown convention', async () => {
    expect(await readModels.queries.partiesOf('seed')).toEqual({ funder: ANCT, beneficiary: DINUM, accountingOrganisation: SCBCM });
    expect(await readModels.queries.partiesOf('own-accountant')).toEqual({ funder: ANCT, beneficiary: DINUM, accountingOrganisation: null });
    expect(await readModels.queries.partiesOf('v1')).toEqual({ funder: '', beneficiary: '', accountingOrganisation: null });
    expect(await readModels.queries.partiesOf('nobody')).toBeUndefined();
  });
});
