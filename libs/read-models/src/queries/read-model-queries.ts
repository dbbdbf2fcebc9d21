import type { Kysely } from 'kysely';
import type { EventStore } from '@cl/event-store';
import { figuresAsOf } from '@cl/domain/figures';
import { readCheckpoint } from '../database/checkpoint';
import { dialectOf } from '../database/create-read-model-db';
import type {
  ConventionsTable, ExpensesTable, ReadModelTables, StatementLinesTable, StatementsTable, TermsTable,
} from '../database/read-model-tables';
import { CONVENTION_STATUSES } from '../database/stats-indicators';
import { knownAsOf, settledOn, termsInForce, validOn, type KnownAsOf } from './as-of';
import { readBalance, readCurrentBalance, type Balance, type ConventionStatus } from './balance';
import { readHistoryPage } from './event-history';
import { loadLedgerFacts } from './ledger-facts';
import { readOpenDataPage, type OpenDataGrant } from './open-data';
import { consumptionRates, readStatsHistory, type PublicStatsView } from './public-stats';
import type { ConventionParties, OrganisationScope } from './organisation-scope';
import type {
  ConventionSummaryView, ConventionView, EventPage, ExpenseState, ExpenseView, InvoiceView, PartyView, PayeeView, StatementView, StatsView,
  TrancheTermsView,
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

/** A party as a version of the terms states it, with its signature as known at the date. */
function partyOf(terms: TermsTable, convention: ConventionsTable, role: 'funder' | 'beneficiary', known: KnownAsOf): PartyView {
  const column = (suffix: string) => terms[`${role}_${suffix}` as keyof TermsTable] as string | null;
  const signatory = convention[`${role}_signatory`];
  const signedOn = convention[`${role}_signed_on`];
  return {
    name: column('name')!,
    representative: column('representative')!,
    organisation: column('organisation')!,
    accountingOrganisation: column('accounting_organisation'),
    bankAccount: {
      bankCode: column('bank_code')!,
      branchCode: column('branch_code')!,
      accountNumber: column('account_number')!,
      key: column('rib_key')!,
      holder: column('bank_holder'),
    },
    iban: column('iban')!,
    signature: signatory !== null && known(signedOn) ? { signatory, signedOn } : null,
  };
}

const payeeOf = (row: Pick<ExpensesTable | StatementLinesTable, 'payee_name' | 'payee_siret'>): PayeeView | null =>
  row.payee_name === null ? null : { name: row.payee_name, siret: row.payee_siret };

const invoiceOf = (row: Pick<ExpensesTable | StatementLinesTable, 'invoice_number' | 'invoice_issued_on'>): InvoiceView | null =>
  row.invoice_number === null || row.invoice_issued_on === null ? null : { number: row.invoice_number, issuedOn: row.invoice_issued_on };

/**
 * An expense as known at a date (the caller leaves out those committed after it): a step, and
 * what was recorded with it (invoice, payment order, recovery order), or the rejection shows only
 * once its date is known, and the state is recomputed from what is shown rather than read from
 * the row, so that the current state is the as-of state with no limit.
 */
function expenseOf(row: ExpensesTable, known: KnownAsOf): ExpenseView {
  const serviceDoneOn = known(row.service_done_on) ? row.service_done_on : null;
  const paidOn = known(row.paid_on) ? row.paid_on : null;
  const acceptedOn = known(row.accepted_on) ? row.accepted_on : null;
  const rejection = known(row.rejected_on)
    ? { on: row.rejected_on, reason: row.rejection_reason ?? '', atStep: row.rejected_at_step ?? '', recoveryOrder: row.recovery_order }
    : null;
  // E2: steps follow each other and none is dated before the previous one, so the furthest
  // step shown is the state; a rejection shown overrides it (E3), as in the figures.
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
    payee: payeeOf(row),
    commitmentNumber: row.commitment_number,
    serviceDoneOn,
    invoice: serviceDoneOn ? invoiceOf(row) : null,
    paidOn,
    paymentOrder: paidOn ? row.payment_order : null,
    acceptedOn,
    rejection,
  };
}

/** Reads the read models and answers in the shapes of docs/api.md; undefined means unknown. */
export class ReadModelQueries {
  /** `store`: where the histories are read (getEvents); every other query reads the read models only. */
  constructor(private readonly db: Kysely<ReadModelTables>, private readonly store?: EventStore) {}

  /**
   * The conventions within `scope` (the caller's reach, from the API's access policy), filtered in
   * SQL on the organisation columns (each indexed), then by status and reference.
   */
  async listConventions(filter: { scope: OrganisationScope; status?: ConventionStatus; reference?: string }): Promise<ConventionSummaryView[]> {
    let query = this.db.selectFrom('rm_conventions').selectAll();
    const { scope } = filter;
    if (scope.kind !== 'every-convention') {
      const { organisation, sides } = scope;
      query = query.where((eb) => eb.or(sides.map((side) => {
        if (side === 'funder') return eb('funder_organisation', '=', organisation);
        if (side === 'beneficiary') return eb('beneficiary_organisation', '=', organisation);
        // The accounting organisation is the beneficiary's own when the terms name none (T1).
        return eb.or([
          eb('beneficiary_accounting_organisation', '=', organisation),
          eb.and([eb('beneficiary_accounting_organisation', 'is', null), eb('beneficiary_organisation', '=', organisation)]),
        ]);
      })));
    }
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.reference) query = query.where('reference', '=', filter.reference);
    const rows = await query.orderBy('reference').orderBy('convention_id').execute();
    return rows.map(summaryOf);
  }

  /**
   * The convention as known at a business date (undefined: now, which is the same with no
   * limit): status and ceiling from the figures (figures.ts) as of it, the signatures,
   * amendments, closure, termination and settlement known by then, and the terms in force then
   * (A3: ceiling, duration, end, tranches, categories, parties' representatives and bank accounts).
   */
  async getConvention(conventionId: string, asOf?: string): Promise<ConventionView | undefined> {
    const row = await this.db.selectFrom('rm_conventions').selectAll().where('convention_id', '=', conventionId).executeTakeFirst();
    const facts = row && await loadLedgerFacts(this.db, conventionId);
    if (!row || !facts) return undefined;
    const figures = figuresAsOf(facts, asOf);
    const known = knownAsOf(asOf);
    const allTerms = await this.db.selectFrom('rm_terms').selectAll()
      .where('convention_id', '=', conventionId).orderBy('terms_version').execute();
    const terms = termsInForce(allTerms, asOf);
    const tranches = await this.db.selectFrom('rm_tranches').selectAll()
      .where('convention_id', '=', conventionId).where('terms_version', '=', terms.terms_version).orderBy('number').execute();
    const amendments = (await this.db.selectFrom('rm_amendments').selectAll()
      .where('convention_id', '=', conventionId).orderBy('number').execute())
      .filter((amendment) => known(amendment.signed_on));
    const settlements = await this.db.selectFrom('rm_settlements').select(['kind', 'occurred_on'])
      .where('convention_id', '=', conventionId).orderBy('position').execute();
    const effectiveOn = known(row.effective_on) ? row.effective_on : null;
    const funder = partyOf(terms, row, 'funder', known);
    const beneficiary = partyOf(terms, row, 'beneficiary', known);
    const budget = row.budget_fonds_de_concours || row.budget_programme || row.budget_bop
      ? {
        ...(row.budget_fonds_de_concours ? { fondsDeConcours: row.budget_fonds_de_concours } : {}),
        ...(row.budget_programme ? { programme: row.budget_programme } : {}),
        ...(row.budget_bop ? { bop: row.budget_bop } : {}),
      }
      : null;
    return {
      ...summaryOf(row),
      status: figures.status,
      ceiling: terms.ceiling,
      effectiveOn,
      // M3: the end of the terms in force (the registered ones get theirs when the convention takes effect).
      endsOn: effectiveOn === null ? null : terms.ends_on,
      funder,
      beneficiary,
      signatures: [
        ...(funder.signature ? [{ party: 'funder' as const, ...funder.signature }] : []),
        ...(beneficiary.signature ? [{ party: 'beneficiary' as const, ...beneficiary.signature }] : []),
      ],
      durationMonths: terms.duration_months,
      tranches: tranches.map((tranche): TrancheTermsView => ({
        number: tranche.number,
        amount: tranche.amount,
        release: tranche.release_on === 'consumption' ? { on: 'consumption', threshold: tranche.threshold ?? '0.00' } : { on: 'signature' },
      })),
      expenseCategories: JSON.parse(terms.expense_categories) as string[],
      budget,
      amendmentsCount: amendments.length,
      amendments: amendments.map((amendment) => {
        const version = allTerms.find((t) => t.terms_version === amendment.number)!;
        return {
          number: amendment.number,
          signedOn: amendment.signed_on,
          signatories: { funder: amendment.funder_signatory, beneficiary: amendment.beneficiary_signatory },
          changes: JSON.parse(amendment.changes) as unknown,
          ceiling: version.ceiling,
          durationMonths: version.duration_months,
          endsOn: version.ends_on!,
        };
      }),
      closedOn: known(row.closed_on) ? row.closed_on : null,
      terminatedOn: known(row.termination_effective_on) ? row.termination_effective_on : null,
      termination: known(row.termination_decided_on)
        ? {
          decidedOn: row.termination_decided_on,
          effectiveOn: row.termination_effective_on!,
          decidedBy: row.termination_decided_by!,
          reason: row.termination_reason ?? '',
          atFault: row.termination_at_fault!,
        }
        : null,
      settledOn: settledOn(figures.status, settlements, known),
      registeredAt: row.registered_at,
      revision: row.last_revision,
    };
  }

  /** Current balance, or as of a business date (facts dated after it are left out). */
  getBalance(conventionId: string, asOf?: string): Promise<Balance | undefined> {
    return asOf === undefined ? readCurrentBalance(this.db, conventionId) : readBalance(this.db, conventionId, asOf);
  }

  /**
   * The balance computed from the facts tables, even without asOf (where getBalance reads the
   * stored figures): audit:replay compares both with the events, so that neither a fact row nor a
   * stored figure can drift unnoticed.
   */
  getBalanceFromFacts(conventionId: string, asOf?: string): Promise<Balance | undefined> {
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

  /** The statements drawn up on or before asOf (all without it), with the signatures known then (D1, v2). */
  async listStatements(conventionId: string, asOf?: string): Promise<StatementView[] | undefined> {
    if (!(await this.exists(conventionId))) return undefined;
    const known = knownAsOf(asOf);
    const rows = await this.db.selectFrom('rm_statements').selectAll()
      .where('convention_id', '=', conventionId).orderBy('number').execute();
    return Promise.all(rows.filter((row) => known(row.drawn_up_on)).map((row) => this.statementOf(row, known)));
  }

  /** Undefined when unknown, or when it was drawn up after asOf (it did not exist yet, even if its cutoff had passed). */
  async getStatement(conventionId: string, number: number, asOf?: string): Promise<StatementView | undefined> {
    const known = knownAsOf(asOf);
    const row = await this.db.selectFrom('rm_statements').selectAll()
      .where('convention_id', '=', conventionId).where('number', '=', number).executeTakeFirst();
    return row && known(row.drawn_up_on) ? this.statementOf(row, known) : undefined;
  }

  /**
   * The convention's history in revision order, a page at a time for long histories: read from
   * the event store up to the last event these read models include (readHistoryPage).
   */
  async getEvents(conventionId: string, page: { fromRevision?: number; limit?: number } = {}): Promise<EventPage | undefined> {
    const row = await this.db.selectFrom('rm_conventions').select('last_revision').where('convention_id', '=', conventionId).executeTakeFirst();
    if (row === undefined) return undefined;
    if (this.store === undefined) throw new Error('ReadModelQueries: the history is read from the event store, and none was given');
    return readHistoryPage(this.store, conventionId, row.last_revision, page);
  }

  async getStats(): Promise<StatsView> {
    const rows = await this.db.selectFrom('rm_stats').selectAll().execute();
    const indicator = (name: string) => rows.find((row) => row.indicator === name)?.value ?? '0';
    const money = (name: string) => rows.find((row) => row.indicator === name)?.value ?? '0.00';
    const count = (name: string) => Number(indicator(name));
    const byStatus = Object.fromEntries(CONVENTION_STATUSES.map((status) => [status, count(`conventions_${status}`)])) as Record<ConventionStatus, number>;
    const owed = (prefix: string) => ({ due: money(`${prefix}_due`), paid: money(`${prefix}_paid`), outstanding: money(`${prefix}_outstanding`) });
    return {
      conventions: { total: count('conventions'), byStatus, provisional: count('conventions_provisional') },
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
      participation: money('participation'),
      restitution: owed('restitution'),
      owedToBeneficiary: owed('owed_to_beneficiary'),
      position: await this.checkpoint(),
    };
  }

  /**
   * The public page's figures: the stats, the consumption rates and the history for the chart,
   * read in one transaction (repeatable read on PostgreSQL; a SQLite read transaction is a
   * snapshot), so that the chart ends on the totals shown beside it.
   */
  getPublicStats(): Promise<PublicStatsView> {
    let transaction = this.db.transaction();
    if (dialectOf(this.db) === 'postgres') transaction = transaction.setIsolationLevel('repeatable read');
    return transaction.execute(async (tx) => {
      const stats = await new ReadModelQueries(tx).getStats();
      return { ...stats, consumptionRate: consumptionRates(stats), history: await readStatsHistory(tx) };
    });
  }

  /** Public facts of the conventions, a page at a time in identifier order (open-data.ts). */
  listOpenData(page: { after?: string; limit: number }): Promise<OpenDataGrant[]> {
    return readOpenDataPage(this.db, page);
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

  /**
   * The organisations of the convention's parties (what access is keyed on), or undefined when the
   * read models do not know it. They are set at registration and never change.
   */
  async partiesOf(conventionId: string): Promise<ConventionParties | undefined> {
    const row = await this.db.selectFrom('rm_conventions')
      .select(['funder_organisation', 'beneficiary_organisation', 'beneficiary_accounting_organisation'])
      .where('convention_id', '=', conventionId).executeTakeFirst();
    return row && { funder: row.funder_organisation, beneficiary: row.beneficiary_organisation, accountingOrganisation: row.beneficiary_accounting_organisation };
  }

  /** Whether the read models know the convention (cheaper than getConvention, which computes its figures). */
  async exists(conventionId: string): Promise<boolean> {
    const row = await this.db.selectFrom('rm_conventions').select('convention_id').where('convention_id', '=', conventionId).executeTakeFirst();
    return row !== undefined;
  }

  /** Lines and corrections are frozen when drawn up (D1); only the signatures depend on the date asked. */
  private async statementOf(row: StatementsTable, known: KnownAsOf): Promise<StatementView> {
    const lines = await this.db.selectFrom('rm_statement_lines').selectAll()
      .where('convention_id', '=', row.convention_id).where('statement_number', '=', row.number).orderBy('line_number').execute();
    const corrections = row.correction_count === 0 ? [] : await this.db.selectFrom('rm_statement_corrections').selectAll()
      .where('convention_id', '=', row.convention_id).where('statement_number', '=', row.number).orderBy('correction_number').execute();
    const signatures = (await this.db.selectFrom('rm_statement_signatures').selectAll()
      .where('convention_id', '=', row.convention_id).where('statement_number', '=', row.number).orderBy('position').execute())
      .filter((signature) => known(signature.signed_on));
    return {
      number: row.number,
      cutoff: row.cutoff,
      drawnUpOn: row.drawn_up_on,
      final: row.final === 1,
      lines: lines.map((line) => ({
        expenseId: line.expense_id,
        category: line.category,
        description: line.description,
        amount: line.amount,
        committedOn: line.committed_on,
        serviceDoneOn: line.service_done_on,
        paidOn: line.paid_on,
        contract: line.contract,
        payee: payeeOf(line),
        commitmentNumber: line.commitment_number,
        invoice: invoiceOf(line),
        paymentOrder: line.payment_order,
      })),
      corrections: corrections.map((correction) => ({
        expenseId: correction.expense_id,
        amount: correction.amount,
        listedOn: correction.listed_on,
        rejectedOn: correction.rejected_on,
        reason: correction.reason,
      })),
      total: row.total,
      previousCumulativeTotal: row.previous_cumulative_total,
      cumulativeTotal: row.cumulative_total,
      signatures: signatures.map((signature) => ({
        as: signature.signed_as, signatory: signature.signatory, subject: signature.subject, signedOn: signature.signed_on,
      })),
      valid: validOn(signatures) !== undefined,
    };
  }
}
