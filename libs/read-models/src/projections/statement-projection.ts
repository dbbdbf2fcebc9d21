import { moneyText } from './money-text';
import type { ProjectionHandler } from './projection-context';

export const onStatementDrawnUp: ProjectionHandler<'StatementDrawnUp'> = async ({ tx, conventionId, data, recorded }) => {
  await tx.insertInto('rm_statements').values({
    convention_id: conventionId,
    number: data.number,
    cutoff: data.cutoff,
    final: data.final ? 1 : 0,
    total: moneyText(data.total),
    cumulative_total: moneyText(data.cumulativeTotal),
    line_count: data.lines.length,
    drawn_up_at: recorded.recordedAt,
    position: recorded.position,
  }).execute();
  if (data.lines.length === 0) return;
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
  }))).execute();
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
