import { decide, DomainError, type ConventionCommand } from '@cl/domain';
import {
  accessOf, assertAccess, assertReadsWholeLog, conventionNotFound, decideAccess, readScopeOf, scopeIncludes, type Access, type AccessDecision, type ActingRole, type ConventionParties,
} from './access-policy';
import { ForbiddenOrganisationError, ForbiddenPartyError, ForbiddenRoleError, ForbiddenScopeError } from './auth.errors';
import { ALL_ORGANISATIONS, type Actor, type Role } from './roles';

// The seed's organisations (docs/examples/seed-convention.json), and one that is no party.
const ANCT = '130026032'; // funder
const DINUM = '120027016'; // beneficiary
const SCBCM = 'SCBCM-SPM'; // DINUM's accounting organisation
const OTHER = '130025265';

/** The seed: the public accountant sits in another organisation. */
const SEED: ConventionParties = { funder: ANCT, beneficiary: DINUM, accountingOrganisation: SCBCM };
/** No accounting organisation named: the beneficiary's own public accountant. */
const OWN_ACCOUNTANT: ConventionParties = { funder: ANCT, beneficiary: DINUM };
/** Recorded before v2: no organisations. */
const V1: ConventionParties = { funder: '', beneficiary: '' };
const UNKNOWN = undefined;

const as = (organisation: string, ...roles: Role[]): Actor => ({ subject: `${roles.join('+')}@${organisation}`, roles, organisation });

const READ: Access = { kind: 'read' };
const act = (...roles: ActingRole[]): Access => ({ kind: 'act', roles });
const register = (funderOrganisation: string): Access => ({ kind: 'register', funderOrganisation });

// The actions, named as in docs/security.md.
const SIGN_AS_FUNDER = act('funder');
const SIGN_AS_BENEFICIARY = act('beneficiary');
const COMMIT_EXPENSE = act('beneficiary');
const ACCEPT_EXPENSE = act('public-accountant');
const REJECT_EXPENSE = act('public-accountant', 'funder');
const SIGN_STATEMENT_AS_OFFICER = act('authorizing-officer');
const SIGN_STATEMENT_AS_ACCOUNTANT = act('public-accountant');
const PAY_TRANCHE = act('funder');
const TERMINATE_AS_FUNDER = act('funder');
const TERMINATE_AS_BENEFICIARY = act('beneficiary');

type Row = [label: string, actor: Actor, parties: ConventionParties | undefined, access: Access, expected: AccessDecision];

/** Every role × own organisation / another organisation / the organisation of another party / no convention. */
const TABLE: Row[] = [
  // funder: acts for the funder's organisation.
  ['funder, own organisation: reads', as(ANCT, 'funder'), SEED, READ, 'allowed'],
  ['funder, own organisation: signs as funder', as(ANCT, 'funder'), SEED, SIGN_AS_FUNDER, 'allowed'],
  ['funder, own organisation: pays a tranche', as(ANCT, 'funder'), SEED, PAY_TRANCHE, 'allowed'],
  ['funder, own organisation: rejects an expense', as(ANCT, 'funder'), SEED, REJECT_EXPENSE, 'allowed'],
  ['funder, own organisation: terminates as funder', as(ANCT, 'funder'), SEED, TERMINATE_AS_FUNDER, 'allowed'],
  ['funder, own organisation: commits an expense (not its role)', as(ANCT, 'funder'), SEED, COMMIT_EXPENSE, 'forbidden-role'],
  ['funder, own organisation: accepts an expense (not its role)', as(ANCT, 'funder'), SEED, ACCEPT_EXPENSE, 'forbidden-role'],
  ['funder, another organisation: reads', as(OTHER, 'funder'), SEED, READ, 'not-visible'],
  ['funder, another organisation: signs as funder', as(OTHER, 'funder'), SEED, SIGN_AS_FUNDER, 'not-visible'],
  ['funder, another organisation: pays a tranche', as(OTHER, 'funder'), SEED, PAY_TRANCHE, 'not-visible'],
  ['funder, another organisation: rejects an expense', as(OTHER, 'funder'), SEED, REJECT_EXPENSE, 'not-visible'],
  ['funder, the beneficiary\'s organisation: reads', as(DINUM, 'funder'), SEED, READ, 'not-visible'],
  ['funder, the beneficiary\'s organisation: pays a tranche', as(DINUM, 'funder'), SEED, PAY_TRANCHE, 'not-visible'],
  ['funder, no such convention: reads', as(ANCT, 'funder'), UNKNOWN, READ, 'not-visible'],
  ['funder, no such convention: pays a tranche', as(ANCT, 'funder'), UNKNOWN, PAY_TRANCHE, 'not-visible'],
  ['funder, no such convention: commits an expense (not its role)', as(ANCT, 'funder'), UNKNOWN, COMMIT_EXPENSE, 'forbidden-role'],
  // Registration: only in the funder's own organisation's name.
  ['funder registers for its own organisation', as(ANCT, 'funder'), UNKNOWN, register(ANCT), 'allowed'],
  ['funder registers for another organisation', as(ANCT, 'funder'), UNKNOWN, register(OTHER), 'forbidden-organisation'],
  ['funder of another organisation registers in the seed funder\'s name', as(OTHER, 'funder'), UNKNOWN, register(ANCT), 'forbidden-organisation'],
  ['funder registers with no organisation', as(ANCT, 'funder'), UNKNOWN, register(''), 'forbidden-organisation'],
  ['beneficiary registers (not its role)', as(ANCT, 'beneficiary'), UNKNOWN, register(ANCT), 'forbidden-role'],
  ['global auditor registers (not its role)', as(ALL_ORGANISATIONS, 'auditor'), UNKNOWN, register(ALL_ORGANISATIONS), 'forbidden-role'],

  // beneficiary: acts for the beneficiary's organisation.
  ['beneficiary, own organisation: reads', as(DINUM, 'beneficiary'), SEED, READ, 'allowed'],
  ['beneficiary, own organisation: signs as beneficiary', as(DINUM, 'beneficiary'), SEED, SIGN_AS_BENEFICIARY, 'allowed'],
  ['beneficiary, own organisation: commits an expense', as(DINUM, 'beneficiary'), SEED, COMMIT_EXPENSE, 'allowed'],
  ['beneficiary, own organisation: terminates as beneficiary', as(DINUM, 'beneficiary'), SEED, TERMINATE_AS_BENEFICIARY, 'allowed'],
  ['beneficiary, own organisation: signs as funder (not its role)', as(DINUM, 'beneficiary'), SEED, SIGN_AS_FUNDER, 'forbidden-role'],
  ['beneficiary, another organisation: reads', as(OTHER, 'beneficiary'), SEED, READ, 'not-visible'],
  ['beneficiary, another organisation: commits an expense', as(OTHER, 'beneficiary'), SEED, COMMIT_EXPENSE, 'not-visible'],
  ['beneficiary, another organisation: terminates', as(OTHER, 'beneficiary'), SEED, TERMINATE_AS_BENEFICIARY, 'not-visible'],
  ['beneficiary, the funder\'s organisation: commits an expense', as(ANCT, 'beneficiary'), SEED, COMMIT_EXPENSE, 'not-visible'],
  ['beneficiary, the accounting organisation: reads', as(SCBCM, 'beneficiary'), SEED, READ, 'not-visible'],
  ['beneficiary, no such convention: commits an expense', as(DINUM, 'beneficiary'), UNKNOWN, COMMIT_EXPENSE, 'not-visible'],

  // authorizing-officer: acts for the beneficiary's organisation.
  ['authorizing officer, own organisation: reads', as(DINUM, 'authorizing-officer'), SEED, READ, 'allowed'],
  ['authorizing officer, own organisation: signs a statement', as(DINUM, 'authorizing-officer'), SEED, SIGN_STATEMENT_AS_OFFICER, 'allowed'],
  ['authorizing officer, own organisation: signs as public accountant (not its role)', as(DINUM, 'authorizing-officer'), SEED, SIGN_STATEMENT_AS_ACCOUNTANT, 'forbidden-role'],
  ['authorizing officer, another organisation: reads', as(OTHER, 'authorizing-officer'), SEED, READ, 'not-visible'],
  ['authorizing officer, another organisation: signs a statement', as(OTHER, 'authorizing-officer'), SEED, SIGN_STATEMENT_AS_OFFICER, 'not-visible'],
  ['authorizing officer, the accounting organisation: signs a statement', as(SCBCM, 'authorizing-officer'), SEED, SIGN_STATEMENT_AS_OFFICER, 'not-visible'],
  ['authorizing officer, no such convention: signs a statement', as(DINUM, 'authorizing-officer'), UNKNOWN, SIGN_STATEMENT_AS_OFFICER, 'not-visible'],

  // public-accountant: acts for the accounting organisation, the beneficiary's own when none is named.
  ['public accountant, the accounting organisation: reads', as(SCBCM, 'public-accountant'), SEED, READ, 'allowed'],
  ['public accountant, the accounting organisation: accepts an expense', as(SCBCM, 'public-accountant'), SEED, ACCEPT_EXPENSE, 'allowed'],
  ['public accountant, the accounting organisation: rejects an expense', as(SCBCM, 'public-accountant'), SEED, REJECT_EXPENSE, 'allowed'],
  ['public accountant, the accounting organisation: signs a statement', as(SCBCM, 'public-accountant'), SEED, SIGN_STATEMENT_AS_ACCOUNTANT, 'allowed'],
  ['public accountant, the accounting organisation: commits an expense (not its role)', as(SCBCM, 'public-accountant'), SEED, COMMIT_EXPENSE, 'forbidden-role'],
  ['public accountant, another organisation: reads', as(OTHER, 'public-accountant'), SEED, READ, 'not-visible'],
  ['public accountant, another organisation: accepts an expense', as(OTHER, 'public-accountant'), SEED, ACCEPT_EXPENSE, 'not-visible'],
  ['public accountant, another organisation: rejects an expense', as(OTHER, 'public-accountant'), SEED, REJECT_EXPENSE, 'not-visible'],
  ['public accountant, the beneficiary\'s organisation when another is named: reads', as(DINUM, 'public-accountant'), SEED, READ, 'not-visible'],
  ['public accountant, the beneficiary\'s organisation when another is named: accepts', as(DINUM, 'public-accountant'), SEED, ACCEPT_EXPENSE, 'not-visible'],
  ['public accountant, the beneficiary\'s organisation when none is named: reads', as(DINUM, 'public-accountant'), OWN_ACCOUNTANT, READ, 'allowed'],
  ['public accountant, the beneficiary\'s organisation when none is named: accepts', as(DINUM, 'public-accountant'), OWN_ACCOUNTANT, ACCEPT_EXPENSE, 'allowed'],
  ['public accountant, the beneficiary\'s organisation when none is named: signs', as(DINUM, 'public-accountant'), OWN_ACCOUNTANT, SIGN_STATEMENT_AS_ACCOUNTANT, 'allowed'],
  ['public accountant, an accounting organisation not named here: accepts', as(SCBCM, 'public-accountant'), OWN_ACCOUNTANT, ACCEPT_EXPENSE, 'not-visible'],
  ['public accountant, no such convention: accepts', as(SCBCM, 'public-accountant'), UNKNOWN, ACCEPT_EXPENSE, 'not-visible'],

  // auditor: reads within its scope, writes nothing.
  ['global auditor: reads', as(ALL_ORGANISATIONS, 'auditor'), SEED, READ, 'allowed'],
  ['global auditor: reads a convention recorded before v2 (no organisations)', as(ALL_ORGANISATIONS, 'auditor'), V1, READ, 'allowed'],
  ['global auditor: pays a tranche (not its role)', as(ALL_ORGANISATIONS, 'auditor'), SEED, PAY_TRANCHE, 'forbidden-role'],
  ['global auditor: accepts an expense (not its role)', as(ALL_ORGANISATIONS, 'auditor'), SEED, ACCEPT_EXPENSE, 'forbidden-role'],
  ['global auditor, no such convention: reads', as(ALL_ORGANISATIONS, 'auditor'), UNKNOWN, READ, 'not-visible'],
  ['auditor scoped to the funder: reads', as(ANCT, 'auditor'), SEED, READ, 'allowed'],
  ['auditor scoped to the beneficiary: reads', as(DINUM, 'auditor'), SEED, READ, 'allowed'],
  ['auditor scoped to the accounting organisation: reads', as(SCBCM, 'auditor'), SEED, READ, 'allowed'],
  ['auditor scoped to an accounting organisation not named here: reads', as(SCBCM, 'auditor'), OWN_ACCOUNTANT, READ, 'not-visible'],
  ['auditor scoped to another organisation: reads', as(OTHER, 'auditor'), SEED, READ, 'not-visible'],
  ['auditor scoped to the funder: commits an expense (not its role)', as(ANCT, 'auditor'), SEED, COMMIT_EXPENSE, 'forbidden-role'],
  ['auditor scoped to the funder: pays a tranche (not its role)', as(ANCT, 'auditor'), SEED, PAY_TRANCHE, 'forbidden-role'],
  ['auditor scoped to another organisation: pays a tranche (not its role)', as(OTHER, 'auditor'), SEED, PAY_TRANCHE, 'forbidden-role'],
  ['scoped auditor: a convention recorded before v2 (no organisations)', as(ANCT, 'auditor'), V1, READ, 'not-visible'],
  ['scoped auditor, no such convention: reads', as(ANCT, 'auditor'), UNKNOWN, READ, 'not-visible'],

  // Several roles: allowed if any held role acts for the party; 403 when one sees the convention but none acts for that party.
  ['funder+beneficiary of the funder\'s organisation: signs as funder', as(ANCT, 'funder', 'beneficiary'), SEED, SIGN_AS_FUNDER, 'allowed'],
  ['funder+beneficiary of the funder\'s organisation: signs as beneficiary', as(ANCT, 'funder', 'beneficiary'), SEED, SIGN_AS_BENEFICIARY, 'forbidden-party'],
  ['funder+beneficiary of the funder\'s organisation: terminates as beneficiary', as(ANCT, 'funder', 'beneficiary'), SEED, TERMINATE_AS_BENEFICIARY, 'forbidden-party'],
  ['funder+beneficiary of the funder\'s organisation: commits an expense', as(ANCT, 'funder', 'beneficiary'), SEED, COMMIT_EXPENSE, 'forbidden-party'],
  ['funder+beneficiary of another organisation: signs as beneficiary', as(OTHER, 'funder', 'beneficiary'), SEED, SIGN_AS_BENEFICIARY, 'not-visible'],
  ['officer+accountant of the beneficiary, accountant elsewhere: signs as officer', as(DINUM, 'authorizing-officer', 'public-accountant'), SEED, SIGN_STATEMENT_AS_OFFICER, 'allowed'],
  ['officer+accountant of the beneficiary, accountant elsewhere: signs as accountant', as(DINUM, 'authorizing-officer', 'public-accountant'), SEED, SIGN_STATEMENT_AS_ACCOUNTANT, 'forbidden-party'],
  ['officer+accountant of the beneficiary, accountant elsewhere: accepts an expense', as(DINUM, 'authorizing-officer', 'public-accountant'), SEED, ACCEPT_EXPENSE, 'forbidden-party'],
  ['officer+accountant of the beneficiary, its own accountant: signs as accountant', as(DINUM, 'authorizing-officer', 'public-accountant'), OWN_ACCOUNTANT, SIGN_STATEMENT_AS_ACCOUNTANT, 'allowed'],
  ['accountant+funder of the accounting organisation: rejects (as accountant)', as(SCBCM, 'public-accountant', 'funder'), SEED, REJECT_EXPENSE, 'allowed'],
  ['accountant+funder of the funder\'s organisation: rejects (as funder)', as(ANCT, 'public-accountant', 'funder'), SEED, REJECT_EXPENSE, 'allowed'],
  ['accountant+funder of the funder\'s organisation: accepts', as(ANCT, 'public-accountant', 'funder'), SEED, ACCEPT_EXPENSE, 'forbidden-party'],
  ['auditor+funder scoped to the beneficiary: reads', as(DINUM, 'auditor', 'funder'), SEED, READ, 'allowed'],
  ['auditor+funder scoped to the beneficiary: pays a tranche', as(DINUM, 'auditor', 'funder'), SEED, PAY_TRANCHE, 'forbidden-party'],
  ['auditor+funder of the funder\'s organisation: pays a tranche', as(ANCT, 'auditor', 'funder'), SEED, PAY_TRANCHE, 'allowed'],

  // Organisations that never match a party.
  ['a principal with no organisation: reads a convention recorded before v2', as('', 'funder'), V1, READ, 'not-visible'],
  ['a principal with no organisation: pays on it', as('', 'funder'), V1, PAY_TRANCHE, 'not-visible'],
  ['"*" held by a role other than auditor matches no party, even one named "*"', as(ALL_ORGANISATIONS, 'funder'), { funder: ALL_ORGANISATIONS, beneficiary: DINUM }, PAY_TRANCHE, 'not-visible'],
  ['"*" held by a role other than auditor does not register', as(ALL_ORGANISATIONS, 'funder'), UNKNOWN, register(ALL_ORGANISATIONS), 'forbidden-organisation'],
];

describe('access policy (docs/security.md)', () => {
  it.each(TABLE)('%s → %s', (_label, actor, parties, access, expected) => {
    expect(decideAccess(actor, parties, access)).toBe(expected);
  });

  it('a convention out of reach answers exactly what an unknown id gets from the domain', () => {
    let unknown: DomainError | undefined;
    try {
      decide({ type: 'SignConvention', party: 'funder', signatory: 'Yves Le Breton', signedOn: '2020-05-11' }, null, { today: '2026-12-01' });
    } catch (error) {
      unknown = error as DomainError;
    }
    const hidden = conventionNotFound();
    const answer = (error: DomainError) => ({ kind: error.kind, code: error.code, message: error.message, rule: error.rule, details: error.details });
    expect(unknown).toBeInstanceOf(DomainError);
    expect(answer(hidden)).toEqual(answer(unknown!));
    expect(() => assertAccess(as(OTHER, 'funder'), SEED, PAY_TRANCHE)).toThrow(expect.objectContaining({ kind: 'not-found', code: 'CONVENTION_NOT_FOUND', message: hidden.message }));
    expect(() => assertAccess(as(ANCT, 'funder'), UNKNOWN, PAY_TRANCHE)).toThrow(expect.objectContaining({ kind: 'not-found', code: 'CONVENTION_NOT_FOUND', message: hidden.message }));
  });

  it('refusals are thrown as the errors the filter maps to 403 FORBIDDEN_ROLE, FORBIDDEN_PARTY, FORBIDDEN_ORGANISATION', () => {
    expect(() => assertAccess(as(ALL_ORGANISATIONS, 'auditor'), SEED, PAY_TRANCHE)).toThrow(ForbiddenRoleError);
    expect(() => assertAccess(as(ANCT, 'funder', 'beneficiary'), SEED, SIGN_AS_BENEFICIARY)).toThrow(ForbiddenPartyError);
    expect(() => assertAccess(as(ANCT, 'funder'), UNKNOWN, register(OTHER))).toThrow(ForbiddenOrganisationError);
    expect(() => assertAccess(as(ANCT, 'funder'), SEED, PAY_TRANCHE)).not.toThrow();
  });

  describe('read scope: what GET /conventions filters on, and the same answer as decideAccess', () => {
    it.each<[string, Actor, ReturnType<typeof readScopeOf>]>([
      ['a global auditor', as(ALL_ORGANISATIONS, 'auditor'), { kind: 'every-convention' }],
      ['a funder', as(ANCT, 'funder'), { kind: 'organisation', organisation: ANCT, sides: ['funder'] }],
      ['a beneficiary', as(DINUM, 'beneficiary'), { kind: 'organisation', organisation: DINUM, sides: ['beneficiary'] }],
      ['an authorizing officer', as(DINUM, 'authorizing-officer'), { kind: 'organisation', organisation: DINUM, sides: ['beneficiary'] }],
      ['a public accountant', as(SCBCM, 'public-accountant'), { kind: 'organisation', organisation: SCBCM, sides: ['accounting'] }],
      ['a scoped auditor', as(SCBCM, 'auditor'), { kind: 'organisation', organisation: SCBCM, sides: ['funder', 'beneficiary', 'accounting'] }],
      ['a principal holding both party roles', as(ANCT, 'beneficiary', 'funder'), { kind: 'organisation', organisation: ANCT, sides: ['funder', 'beneficiary'] }],
      ['a principal with no organisation', as('', 'funder'), { kind: 'organisation', organisation: '', sides: [] }],
      ['"*" on a role other than auditor', as(ALL_ORGANISATIONS, 'funder'), { kind: 'organisation', organisation: ALL_ORGANISATIONS, sides: [] }],
    ])('%s', (_label, actor, scope) => {
      expect(readScopeOf(actor)).toEqual(scope);
    });

    it('includes a convention exactly when decideAccess lets the principal read it', () => {
      const conventions = [SEED, OWN_ACCOUNTANT, V1, { funder: DINUM, beneficiary: ANCT }, { funder: OTHER, beneficiary: OTHER, accountingOrganisation: SCBCM }];
      const organisations = [ANCT, DINUM, SCBCM, OTHER, '', ALL_ORGANISATIONS];
      const roleSets: Role[][] = [['funder'], ['beneficiary'], ['authorizing-officer'], ['public-accountant'], ['auditor'], ['funder', 'beneficiary'], ['authorizing-officer', 'public-accountant'], ['auditor', 'funder']];
      for (const organisation of organisations) {
        for (const roles of roleSets) {
          for (const parties of conventions) {
            const actor = as(organisation, ...roles);
            expect([actor, parties, scopeIncludes(readScopeOf(actor), parties)]).toEqual([actor, parties, decideAccess(actor, parties, READ) === 'allowed']);
          }
        }
      }
    });
  });

  describe('accessOf: the party each command acts for', () => {
    const commands: Array<[ConventionCommand['type'], Partial<ConventionCommand>, Access]> = [
      ['RegisterConvention', { funder: { organisation: ANCT } } as Partial<ConventionCommand>, register(ANCT)],
      ['SignConvention', { party: 'funder' }, act('funder')],
      ['SignConvention', { party: 'beneficiary' }, act('beneficiary')],
      ['CommitExpense', {}, act('beneficiary')],
      ['RecordServiceDone', {}, act('beneficiary')],
      ['RecordExpensePayment', {}, act('beneficiary')],
      ['AcceptExpense', {}, act('public-accountant')],
      ['RejectExpense', {}, act('public-accountant', 'funder')],
      ['DrawUpStatement', {}, act('beneficiary')],
      ['SignStatement', { as: 'authorizing-officer' }, act('authorizing-officer')],
      ['SignStatement', { as: 'public-accountant' }, act('public-accountant')],
      ['IssueFundCall', {}, act('beneficiary')],
      ['PayTranche', {}, act('funder')],
      ['AmendConvention', {}, act('funder')],
      ['CloseConvention', {}, act('funder')],
      ['TerminateConvention', { decidedBy: 'funder' }, act('funder')],
      ['TerminateConvention', { decidedBy: 'beneficiary' }, act('beneficiary')],
      ['PayRestitution', {}, act('beneficiary')],
      ['PaySettlement', {}, act('funder')],
    ];
    it.each(commands)('%s %j', (type, fields, expected) => {
      expect(accessOf({ type, ...fields } as ConventionCommand)).toEqual(expected);
    });

    it('a command type the table does not know is refused to every role', () => {
      const access = accessOf({ type: 'Unknown' } as unknown as ConventionCommand);
      expect(access).toEqual({ kind: 'act', roles: [] });
      expect(decideAccess(as(ANCT, 'funder', 'beneficiary', 'authorizing-officer', 'public-accountant'), SEED, access)).toBe('forbidden-role');
    });
  });
});

describe('the whole log (GET /events)', () => {
  it('global auditor: reads the whole log', () => {
    expect(() => assertReadsWholeLog(as(ALL_ORGANISATIONS, 'auditor'))).not.toThrow();
  });

  it('auditor scoped to an organisation: FORBIDDEN_SCOPE (the log holds every convention)', () => {
    expect(() => assertReadsWholeLog(as(SCBCM, 'auditor'))).toThrow(ForbiddenScopeError);
  });

  it.each<[string, Actor]>([
    ['funder', as(ANCT, 'funder')],
    ['every acting role at once', as(DINUM, 'funder', 'beneficiary', 'authorizing-officer', 'public-accountant')],
    ['an acting role with organisation "*" (not an auditor)', as(ALL_ORGANISATIONS, 'funder')],
  ])('%s: FORBIDDEN_ROLE', (_label, actor) => {
    expect(() => assertReadsWholeLog(actor)).toThrow(ForbiddenRoleError);
  });
});
