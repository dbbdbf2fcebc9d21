import { moneyText, signedMoneyText } from './money-text';
import type { ProjectionHandler } from './projection-context';

/** D1 (v2): frozen as drawn up, with its drawing-up day, the previous cumulative total and the corrections. */
export const onStatementDrawnUp: ProjectionHandler<'StatementDrawnUp'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_statements').values({
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
  }).execute();
  if (data.lines.length > 0) {
    await tx.insertInto('rm_statement_lines').values(data.lines.map((line, index) => ({
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
    }))).execute();
  }
  if (data.corrections.length > 0) {
    await tx.insertInto('rm_statement_corrections').values(data.corrections.map((correction, index) => ({
      convention_id: conventionId,
      statement_number: data.number,
      correction_number: index + 1,
      expense_id: correction.expenseId,
      amount: signedMoneyText(correction.amount),
      listed_on: correction.listedOn,
      rejected_on: correction.rejectedOn,
      reason: correction.reason,
    }))).execute();
  }
};

export const onStatementSigned: ProjectionHandler<'StatementSigned'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_statement_signatures').values({
    convention_id: conventionId,
    statement_number: data.number,
    signed_as: data.as,
    signatory: data.signatory,
    subject: data.subject,
    signed_on: data.signedOn,
    position: recorded.position,
  }).execute();
};
