import type { Kysely } from 'kysely';
import { addMonths } from '@cl/domain';
import { readCheckpoint } from '../database/checkpoint';
import type { ConventionsTable, ExpensesTable, ReadModelTables, StatementsTable } from '../database/read-model-tables';
import { CONVENTION_STATUSES } from '../database/stats-indicators';
import { amendmentInForce, knownAsOf, statusAsOf, termsVersionOf, type KnownAsOf } from './as-of';
import { readBalance, type Balance, type ConventionStatus } from './balance';
import type {
  ConventionSummaryView, ConventionView, EventPage, ExpenseState, ExpenseView, PartyView, StatementView, StatsView, TrancheTermsView,
} from './views';

const summaryOf = (row: ConventionsTable): ConventionSummaryView => ({
  id: row.convention_id,
  reference: row.reference,
  title: row.title,
  status: row.status,
  ceiling: row.ceiling,
  effectiveOn: row.effective_on,
  endsOn: row.ends_on,
  position: Number(row.last_position),
});

function partyOf(row: ConventionsTable, role: 'funder' | 'beneficiary', known: KnownAsOf): PartyView {
  const column = <Suffix extends string>(suffix: Suffix) => row[`${role}_${suffix}` as keyof ConventionsTable] as string | null;
  const signatory = column('signatory');
  const signedOn = column('signed_on');
  return {
    name: column('name')!,
    representative: column('representative')!,
    bankAccount: {
      bankCode: column('bank_code')!, branchCode: column('branch_code')!, accountNumber: column('account_number')!, key: column('rib_key')!,
    },
    iban: column('iban')!,
    signature: signatory && known(signedOn) ? { signatory, signedOn } : null,
  };
}

/**
 * An expense as known at a date (the caller leaves out those committed after it): a step or the
 * rejection shows only once its date is known, and the state is recomputed from what is shown
 * rather than read from the row, so that the current state is the as-of state with no limit.
 */
function expenseOf(row: ExpensesTable, known: KnownAsOf): ExpenseView {
  const serviceDoneOn = known(row.service_done_on) ? row.service_done_on : null;
  const paidOn = known(row.paid_on) ? row.paid_on : null;
  const acceptedOn = known(row.accepted_on) ? row.accepted_on : null;
  const rejection = known(row.rejected_on)
    ? { on: row.rejected_on, reason: row.rejection_reason ?? '', atStep: row.rejected_at_step ?? '' }
    : null;
  // E2: steps follow each other and none is dated before the previous one, so the furthest
  // step shown is the state; a rejection shown overrides it (E3), as in the balance.
  const state: ExpenseState = rejection ? 'rejected'
    : acceptedOn ? 'accepted'
    : paidOn ? 'paid'
    : serviceDoneOn ? 'service-done'
    : 'committed';
  return {
    expenseId: row.expense_id,
    category: row.category,
    description: row.description,
    contract: row.contract,
    amount: row.amount,
    state,
    committedOn: row.committed_on,
    serviceDoneOn,
    paidOn,
    acceptedOn,
    rejection,
  };
}

/** Reads the read models and answers in the shapes of docs/api.md; undefined means unknown. */
export class ReadModelQueries {
  constructor(private readonly db: Kysely<ReadModelTables>) {}

  async listConventions(filter: { status?: ConventionStatus; reference?: string } = {}): Promise<ConventionSummaryView[]> {
    let query = this.db.selectFrom('rm_conventions').selectAll();
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.reference) query = query.where('reference', '=', filter.reference);
    const rows = await query.orderBy('reference').orderBy('convention_id').execute();
    return rows.map(summaryOf);
  }

  /**
   * The convention as known at a business date (undefined: now, which is the same with no
   * limit): status by the balance's rule, the signatures, amendments and closing facts dated on
   * or before it, and the terms of the amendment in force then (else the registered ones).
   */
  async getConvention(conventionId: string, asOf?: string): Promise<ConventionView | undefined> {
    const row = await this.db.selectFrom('rm_conventions').selectAll().where('convention_id', '=', conventionId).executeTakeFirst();
    if (!row) return undefined;
    const known = knownAsOf(asOf);
    const allAmendments = await this.db.selectFrom('rm_amendments').selectAll()
      .where('convention_id', '=', conventionId).orderBy('number').execute();
    const amendments = allAmendments.filter((amendment) => known(amendment.signed_on));
    const inForce = amendmentInForce(allAmendments, known);
    const tranches = await this.db.selectFrom('rm_tranches').selectAll()
      .where('convention_id', '=', conventionId).where('terms_version', '=', termsVersionOf(inForce)).orderBy('number').execute();
    const effectiveOn = known(row.effective_on) ? row.effective_on : null;
    // rm_conventions.ends_on is the end after the last amendment; before any amendment the end is
    // the registered duration from the effective date (M3, the rule ConventionTookEffect applied).
    const endsOn = effectiveOn === null ? null : inForce?.ends_on ?? addMonths(effectiveOn, row.registered_duration_months);
    const terminated = known(row.terminated_on);
    const funder = partyOf(row, 'funder', known);
    const beneficiary = partyOf(row, 'beneficiary', known);
    const budget = row.budget_fonds_de_concours || row.budget_programme || row.budget_bop
      ? {
        ...(row.budget_fonds_de_concours ? { fondsDeConcours: row.budget_fonds_de_concours } : {}),
        ...(row.budget_programme ? { programme: row.budget_programme } : {}),
        ...(row.budget_bop ? { bop: row.budget_bop } : {}),
      }
      : null;
    return {
      ...summaryOf(row),
      status: statusAsOf(row, known),
      ceiling: inForce?.ceiling ?? row.registered_ceiling,
      effectiveOn,
      endsOn,
      funder,
      beneficiary,
      signatures: [
        ...(funder.signature ? [{ party: 'funder' as const, ...funder.signature }] : []),
        ...(beneficiary.signature ? [{ party: 'beneficiary' as const, ...beneficiary.signature }] : []),
      ],
      durationMonths: inForce?.duration_months ?? row.registered_duration_months,
      tranches: tranches.map((tranche): TrancheTermsView => ({
        number: tranche.number,
        amount: tranche.amount,
        release: tranche.release_on === 'consumption' ? { on: 'consumption', threshold: tranche.threshold ?? '0.00' } : { on: 'signature' },
      })),
      expenseCategories: JSON.parse(row.expense_categories) as string[],
      budget,
      amendmentsCount: amendments.length,
      amendments: amendments.map((amendment) => ({
        number: amendment.number,
        signedOn: amendment.signed_on,
        signatories: { funder: amendment.funder_signatory, beneficiary: amendment.beneficiary_signatory },
        changes: JSON.parse(amendment.changes) as unknown,
        ceiling: amendment.ceiling,
        durationMonths: amendment.duration_months,
        endsOn: amendment.ends_on,
      })),
      closedOn: known(row.closed_on) ? row.closed_on : null,
      terminatedOn: terminated ? row.terminated_on : null,
      termination: terminated
        ? { on: row.terminated_on!, reason: row.termination_reason ?? '', atFault: row.termination_at_fault ?? '' }
        : null,
      settledOn: known(row.settled_on) ? row.settled_on : null,
      registeredAt: row.registered_at,
      revision: row.last_revision,
    };
  }

  /** Current balance, or as of a business date (facts dated after it are left out). */
  getBalance(conventionId: string, asOf?: string): Promise<Balance | undefined> {
    return readBalance(this.db, conventionId, asOf);
  }

  /** The expenses committed on or before asOf (all of them without it), each as known then. */
  async listExpenses(conventionId: string, asOf?: string): Promise<ExpenseView[] | undefined> {
    if (!(await this.exists(conventionId))) return undefined;
    const known = knownAsOf(asOf);
    const rows = await this.db.selectFrom('rm_expenses').selectAll()
      .where('convention_id', '=', conventionId).orderBy('position').execute();
    return rows.filter((row) => known(row.committed_on)).map((row) => expenseOf(row, known));
  }

  async getExpense(conventionId: string, expenseId: string, asOf?: string): Promise<ExpenseView | undefined> {
    const known = knownAsOf(asOf);
    const row = await this.db.selectFrom('rm_expenses').selectAll()
      .where('convention_id', '=', conventionId).where('expense_id', '=', expenseId).executeTakeFirst();
    return row && known(row.committed_on) ? expenseOf(row, known) : undefined;
  }

  /** The statements whose cutoff is on or before asOf (all without it), with the signatures known then. */
  async listStatements(conventionId: string, asOf?: string): Promise<StatementView[] | undefined> {
    if (!(await this.exists(conventionId))) return undefined;
    const known = knownAsOf(asOf);
    const rows = await this.db.selectFrom('rm_statements').selectAll()
      .where('convention_id', '=', conventionId).orderBy('number').execute();
    return Promise.all(rows.filter((row) => known(row.cutoff)).map((row) => this.statementOf(row, known)));
  }

  /** Undefined when unknown, or when its cutoff is after asOf (it did not exist yet). */
  async getStatement(conventionId: string, number: number, asOf?: string): Promise<StatementView | undefined> {
    const known = knownAsOf(asOf);
    const row = await this.db.selectFrom('rm_statements').selectAll()
      .where('convention_id', '=', conventionId).where('number', '=', number).executeTakeFirst();
    return row && known(row.cutoff) ? this.statementOf(row, known) : undefined;
  }

  /** The convention's history in revision order, a page at a time for long histories. */
  async getEvents(conventionId: string, page: { fromRevision?: number; limit?: number } = {}): Promise<EventPage | undefined> {
    if (!(await this.exists(conventionId))) return undefined;
    let query = this.db.selectFrom('rm_event_history').selectAll()
      .where('convention_id', '=', conventionId).where('revision', '>=', page.fromRevision ?? 0).orderBy('revision');
    // One row more than asked tells whether another page follows.
    if (page.limit !== undefined) query = query.limit(page.limit + 1);
    const rows = await query.execute();
    const more = page.limit !== undefined && rows.length > page.limit;
    const shown = more ? rows.slice(0, page.limit) : rows;
    return {
      events: shown.map((row) => ({
        eventId: row.event_id,
        type: row.type,
        schemaVersion: row.schema_version,
        data: JSON.parse(row.data) as Record<string, unknown>,
        revision: row.revision,
        position: Number(row.position),
        recordedAt: row.recorded_at,
        actor: { subject: row.actor_subject, roles: JSON.parse(row.actor_roles) as string[] },
        request: { requestId: row.request_id, correlationId: row.correlation_id, causationId: row.causation_id, idempotencyKey: row.idempotency_key },
      })),
      nextRevision: more ? shown[shown.length - 1].revision + 1 : null,
    };
  }

  async getStats(): Promise<StatsView> {
    const rows = await this.db.selectFrom('rm_stats').selectAll().execute();
    const indicator = (name: string) => rows.find((row) => row.indicator === name)?.value ?? '0';
    const money = (name: string) => rows.find((row) => row.indicator === name)?.value ?? '0.00';
    const count = (name: string) => Number(indicator(name));
    const byStatus = Object.fromEntries(CONVENTION_STATUSES.map((status) => [status, count(`conventions_${status}`)])) as Record<ConventionStatus, number>;
    return {
      conventions: { total: count('conventions'), byStatus },
      expenses: count('expenses_count'),
      statements: count('statements_count'),
      events: count('events'),
      ceiling: money('ceiling'),
      committed: money('committed'),
      consumed: money('consumed'),
      rejected: money('rejected'),
      called: money('called'),
      due: money('due'),
      received: money('received'),
      outstanding: money('outstanding'),
      restitution: {
        due: money('restitution_due'),
        paid: money('restitution_paid'),
        outstanding: money('restitution_outstanding'),
        owedToBeneficiary: money('owed_to_beneficiary'),
      },
      position: await this.checkpoint(),
    };
  }

  /** Last global position the read models include, as committed (any process may project). */
  checkpoint(): Promise<number> {
    return readCheckpoint(this.db);
  }

  /**
   * For `?minPosition=P` when the projector runs in another process: polls the committed
   * checkpoint. In-process, prefer Projector.waitForPosition (woken on each commit).
   */
  async waitForPosition(position: number, timeoutMs: number, pollMs = 25): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.checkpoint()) >= position) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    }
  }

  private async exists(conventionId: string): Promise<boolean> {
    const row = await this.db.selectFrom('rm_conventions').select('convention_id').where('convention_id', '=', conventionId).executeTakeFirst();
    return row !== undefined;
  }

  /** Lines are frozen when drawn up (D1); only the signatures depend on the date asked. */
  private async statementOf(row: StatementsTable, known: KnownAsOf): Promise<StatementView> {
    const lines = await this.db.selectFrom('rm_statement_lines').selectAll()
      .where('convention_id', '=', row.convention_id).where('statement_number', '=', row.number).orderBy('line_number').execute();
    const signatures = (await this.db.selectFrom('rm_statement_signatures').selectAll()
      .where('convention_id', '=', row.convention_id).where('statement_number', '=', row.number).orderBy('position').execute())
      .filter((signature) => known(signature.signed_on));
    return {
      number: row.number,
      cutoff: row.cutoff,
      final: row.final === 1,
      lines: lines.map((line) => ({
        expenseId: line.expense_id,
        category: line.category,
        description: line.description,
        amount: line.amount,
        committedOn: line.committed_on,
        serviceDoneOn: line.service_done_on,
        paidOn: line.paid_on,
      })),
      total: row.total,
      cumulativeTotal: row.cumulative_total,
      signatures: signatures.map((signature) => ({
        as: signature.signed_as, signatory: signature.signatory, subject: signature.subject, signedOn: signature.signed_on,
      })),
      valid: new Set(signatures.map((signature) => signature.signed_as)).size === 2,
    };
  }
}
