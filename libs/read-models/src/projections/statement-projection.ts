import { moneyText, signedMoneyText } from './money-text';
import type { ProjectionHandler } from './projection-context';

/** D1 (v2): frozen as drawn up, with its drawing-up day, the previous cumulative total and the corrections. */
export const onStatementDrawnUp: ProjectionHandler<'StatementDrawnUp'> = ({ state, writes, conventionId, data, recorded }) => {
  writes.insert('rm_statements', {
    convention_id: conventionId,
    number: data.number,
    cutoff: data.cutoff,
    drawn_up_on: data.drawnUpOn,
    final: data.final ? 1 : 0,
    total: moneyText(data.total),
    previous_cumulative_total: moneyText(data.previousCumulativeTotal),
    cumulative_total: moneyText(data.cumulativeTotal),
    line_count: data.lines.length,
    correction_count: data.corrections.length,
    drawn_up_at: recorded.recordedAt,
    position: recorded.position,
  });
  // A number taken twice fails at the flush (primary key); the first one stays in the figures.
  if (!state.statements.has(data.number)) state.statements.set(data.number, { final: data.final, signatures: [] });
  writes.insert('rm_statement_lines', ...data.lines.map((line, index) => ({
    convention_id: conventionId,
    statement_number: data.number,
    line_number: index + 1,
    expense_id: line.expenseId,
    category: line.category,
    description: line.description,
    amount: moneyText(line.amount),
    committed_on: line.committedOn,
    service_done_on: line.serviceDoneOn,
    paid_on: line.paidOn,
    contract: line.contract ?? null,
    payee_name: line.payee?.name ?? null,
    payee_siret: line.payee?.siret ?? null,
    commitment_number: line.commitmentNumber ?? null,
    invoice_number: line.invoice?.number ?? null,
    invoice_issued_on: line.invoice?.issuedOn ?? null,
    payment_order: line.paymentOrder ?? null,
  })));
  writes.insert('rm_statement_corrections', ...data.corrections.map((correction, index) => ({
    convention_id: conventionId,
    statement_number: data.number,
    correction_number: index + 1,
    expense_id: correction.expenseId,
    amount: signedMoneyText(correction.amount),
    listed_on: correction.listedOn,
    rejected_on: correction.rejectedOn,
    reason: correction.reason,
  })));
};

export const onStatementSigned: ProjectionHandler<'StatementSigned'> = ({ state, writes, conventionId, data, recorded }) => {
  writes.insert('rm_statement_signatures', {
    convention_id: conventionId,
    statement_number: data.number,
    signed_as: data.as,
    signatory: data.signatory,
    subject: data.subject,
    signed_on: data.signedOn,
    position: recorded.position,
  });
  // D2: only a drawn-up statement's signatures count towards its validity.
  state.statements.get(data.number)?.signatures.push({ signed_as: data.as, signed_on: data.signedOn });
};
