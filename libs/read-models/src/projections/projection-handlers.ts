import {
  onConventionAmended, onConventionClosed, onConventionRegistered, onConventionSettled, onConventionSigned,
  onConventionTerminated, onConventionTookEffect, onSettlementReopened,
} from './convention-projection';
import { onExpenseAccepted, onExpenseCommitted, onExpensePaid, onExpenseRejected, onExpenseServiceDone } from './expense-projection';
import { onFundCallIssued, onRestitutionPaid, onSettlementPaid, onTrancheFellDue, onTranchePaid } from './funding-projection';
import type { ProjectionHandlers } from './projection-context';
import { onStatementDrawnUp, onStatementSigned } from './statement-projection';

export const PROJECTION_HANDLERS: ProjectionHandlers = {
  ConventionRegistered: onConventionRegistered,
  ConventionSigned: onConventionSigned,
  ConventionTookEffect: onConventionTookEffect,
  TrancheFellDue: onTrancheFellDue,
  ExpenseCommitted: onExpenseCommitted,
  ExpenseServiceDone: onExpenseServiceDone,
  ExpensePaid: onExpensePaid,
  ExpenseAccepted: onExpenseAccepted,
  ExpenseRejected: onExpenseRejected,
  StatementDrawnUp: onStatementDrawnUp,
  StatementSigned: onStatementSigned,
  FundCallIssued: onFundCallIssued,
  TranchePaid: onTranchePaid,
  ConventionAmended: onConventionAmended,
  ConventionClosed: onConventionClosed,
  ConventionTerminated: onConventionTerminated,
  RestitutionPaid: onRestitutionPaid,
  SettlementPaid: onSettlementPaid,
  ConventionSettled: onConventionSettled,
  SettlementReopened: onSettlementReopened,
};
