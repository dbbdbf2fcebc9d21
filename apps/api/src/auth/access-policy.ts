import { ErrorCodes, notFound, type ConventionCommand, type DomainError } from '@cl/domain';
import { ForbiddenOrganisationError, ForbiddenPartyError, ForbiddenRoleError, ForbiddenScopeError } from './auth.errors';
import { ALL_ORGANISATIONS, type Actor, type Role } from './roles';

/**
 * Who may do what on which convention (docs/domain-rules.md, "Who may do what"; docs/security.md):
 * one pure policy, used by the write path (ConventionCommandExecutor, before anything is decided,
 * and ReferenceReservations, before anything is reserved) and by every read route.
 *
 * A role is not enough: a principal acts only where its organisation is the party its role acts
 * for. A convention out of its reach does not exist for it (404, the answer an unknown id gets);
 * one in reach, where none of its roles acts for the party concerned, is a 403.
 */

/**
 * A convention's parties as recorded (T1): the organisations access is keyed on. They are set at
 * registration and never change (an amendment changes representatives and bank accounts only, A2).
 */
export interface ConventionParties {
  readonly funder: string;
  readonly beneficiary: string;
  /** The beneficiary's accounting organisation (its public accountant's), when the terms name one. */
  readonly accountingOrganisation?: string | null;
}

/** The three organisations a role can act for. */
export type PartySide = 'funder' | 'beneficiary' | 'accounting';

/** The roles that act for a party; `auditor` acts for none (it reads, within its scope). */
export type ActingRole = Exclude<Role, 'auditor'>;

/** Which party each role acts for. */
export const SIDE_OF_ROLE: Readonly<Record<ActingRole, PartySide>> = {
  funder: 'funder',
  beneficiary: 'beneficiary',
  'authorizing-officer': 'beneficiary',
  'public-accountant': 'accounting',
};

/** The organisation behind a side: the accounting organisation is the beneficiary's own when the terms name none. */
export function organisationOf(parties: ConventionParties, side: PartySide): string {
  if (side === 'accounting') return parties.accountingOrganisation ?? parties.beneficiary;
  return parties[side];
}

/**
 * Which conventions a principal may see, as a filter on their parties' organisations: every
 * convention (a global auditor), or those where `organisation` is the party of one of `sides`.
 * `GET /conventions` applies it in SQL (the read models' `OrganisationScope` has this shape).
 */
export type ReadScope =
  | { readonly kind: 'every-convention' }
  | { readonly kind: 'organisation'; readonly organisation: string; readonly sides: readonly PartySide[] };

/** What a principal is about to do. */
export type Access =
  /** Any read of a convention (the convention, its balance, expenses, statements, events). */
  | { readonly kind: 'read' }
  /** RegisterConvention: the funder organisation the body names. */
  | { readonly kind: 'register'; readonly funderOrganisation: string }
  /** A command on a convention: the roles that may send it, each acting for its own party. */
  | { readonly kind: 'act'; readonly roles: readonly ActingRole[] };

/**
 * - `allowed`;
 * - `forbidden-role`: none of the principal's roles may do this at all (403 FORBIDDEN_ROLE, the
 *   HTTP guard's answer, which does not depend on the convention);
 * - `not-visible`: the convention is out of the principal's reach, or does not exist (404
 *   CONVENTION_NOT_FOUND: the same answer for both);
 * - `forbidden-party`: the principal sees the convention, but none of its roles that may do this
 *   acts for a party its organisation is (403 FORBIDDEN_PARTY);
 * - `forbidden-organisation`: a funder registering a convention in another organisation's name
 *   (403 FORBIDDEN_ORGANISATION).
 */
export type AccessDecision = 'allowed' | 'forbidden-role' | 'not-visible' | 'forbidden-party' | 'forbidden-organisation';

const ALL_SIDES: readonly PartySide[] = ['funder', 'beneficiary', 'accounting'];

/**
 * An organisation a principal can act for. '' (parties recorded before v2 carry it) and '*'
 * (the global auditor's scope, not an organisation) never match a party.
 */
const isOrganisation = (organisation: string): boolean => organisation !== '' && organisation !== ALL_ORGANISATIONS;

const isActingRole = (role: Role): role is ActingRole => role !== 'auditor';

/** The conventions the principal may see (see ReadScope). */
export function readScopeOf(actor: Actor): ReadScope {
  if (actor.roles.includes('auditor') && actor.organisation === ALL_ORGANISATIONS) return { kind: 'every-convention' };
  if (!isOrganisation(actor.organisation)) return { kind: 'organisation', organisation: actor.organisation, sides: [] };
  const sides = new Set<PartySide>();
  for (const role of actor.roles) {
    // An auditor bound to an organisation sees the conventions where it is a party: funder,
    // beneficiary or accounting organisation.
    for (const side of isActingRole(role) ? [SIDE_OF_ROLE[role]] : ALL_SIDES) sides.add(side);
  }
  return { kind: 'organisation', organisation: actor.organisation, sides: ALL_SIDES.filter((side) => sides.has(side)) };
}

/** Whether a convention with these parties is within the scope. */
export function scopeIncludes(scope: ReadScope, parties: ConventionParties): boolean {
  if (scope.kind === 'every-convention') return true;
  return isOrganisation(scope.organisation) && scope.sides.some((side) => organisationOf(parties, side) === scope.organisation);
}

/** Whether the principal, through `role`, acts for a party of this convention. */
function actsFor(actor: Actor, role: ActingRole, parties: ConventionParties): boolean {
  return actor.roles.includes(role) && isOrganisation(actor.organisation) && organisationOf(parties, SIDE_OF_ROLE[role]) === actor.organisation;
}

/**
 * The decision for a principal, a convention's parties (undefined: no such convention) and an
 * access. Checked in this order: the role (independent of any convention, as the HTTP guard
 * does), then whether the convention is visible, then whether a held role acts for the party.
 */
export function decideAccess(actor: Actor, parties: ConventionParties | undefined, access: Access): AccessDecision {
  switch (access.kind) {
    case 'read':
      return parties !== undefined && scopeIncludes(readScopeOf(actor), parties) ? 'allowed' : 'not-visible';
    case 'register':
      if (!actor.roles.includes('funder')) return 'forbidden-role';
      return isOrganisation(actor.organisation) && access.funderOrganisation === actor.organisation ? 'allowed' : 'forbidden-organisation';
    case 'act':
      if (!access.roles.some((role) => actor.roles.includes(role))) return 'forbidden-role';
      if (parties === undefined || !scopeIncludes(readScopeOf(actor), parties)) return 'not-visible';
      return access.roles.some((role) => actsFor(actor, role, parties)) ? 'allowed' : 'forbidden-party';
  }
}

/** The 404 of a convention out of reach: exactly what an unknown id gets (the domain's own refusal, decide/guards.ts). */
export const conventionNotFound = (): DomainError => notFound(ErrorCodes.CONVENTION_NOT_FOUND, 'No convention is registered under this id.');

/** decideAccess, throwing its refusal (mapped to 404/403 by the one error filter). */
export function assertAccess(actor: Actor, parties: ConventionParties | undefined, access: Access): void {
  const decision = decideAccess(actor, parties, access);
  switch (decision) {
    case 'allowed':
      return;
    case 'not-visible':
      throw conventionNotFound();
    case 'forbidden-role':
      throw new ForbiddenRoleError(access.kind === 'act' ? [...access.roles] : ['funder']);
    case 'forbidden-party':
      throw new ForbiddenPartyError(access.kind === 'act' ? [...new Set(access.roles.map((role) => SIDE_OF_ROLE[role]))] : []);
    case 'forbidden-organisation':
      throw new ForbiddenOrganisationError();
  }
}

/**
 * The whole log (GET /events) mixes every convention's facts: only a principal that sees every
 * convention reads it, an auditor of organisation "*". Another role is FORBIDDEN_ROLE, an auditor
 * bound to one organisation FORBIDDEN_SCOPE.
 */
export function assertReadsWholeLog(actor: Actor): void {
  if (!actor.roles.includes('auditor')) throw new ForbiddenRoleError(['auditor']);
  if (readScopeOf(actor).kind !== 'every-convention') throw new ForbiddenScopeError();
}

const act = (...roles: ActingRole[]): Access => ({ kind: 'act', roles });

/**
 * The access each command asks for: the roles that may send it, each acting for its party
 * (docs/domain-rules.md, "Who may do what"). Where the body names the role (a convention
 * signature's `party`, a statement signature's `as`, a termination's `decidedBy`), that role.
 */
export function accessOf(command: ConventionCommand): Access {
  switch (command.type) {
    case 'RegisterConvention':
      return { kind: 'register', funderOrganisation: command.funder?.organisation };
    case 'SignConvention':
      return act(command.party);
    case 'SignStatement':
      return act(command.as);
    case 'TerminateConvention':
      return act(command.decidedBy);
    case 'RejectExpense':
      return act('public-accountant', 'funder');
    case 'AcceptExpense':
      return act('public-accountant');
    case 'CommitExpense':
    case 'RecordServiceDone':
    case 'RecordExpensePayment':
    case 'DrawUpStatement':
    case 'IssueFundCall':
    case 'PayRestitution':
      return act('beneficiary');
    case 'PayTranche':
    case 'AmendConvention':
    case 'CloseConvention':
    case 'PaySettlement':
      return act('funder');
    default:
      return unknownCommand(command);
  }
}

/** A command type this table does not list is refused to everyone (a new command must be added above). */
function unknownCommand(command: never): Access {
  void command;
  return { kind: 'act', roles: [] };
}
