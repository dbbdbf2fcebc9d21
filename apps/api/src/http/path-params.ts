import { Injectable, Param, PipeTransform } from '@nestjs/common';
import { notFound } from '@cl/domain';

const ID = /^[A-Za-z0-9-]{1,64}$/;

/** An id that cannot exist is simply not found: the client learns nothing more from a 400. */
@Injectable()
export class ConventionIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ID.test(value)) throw notFound('CONVENTION_NOT_FOUND', `no convention ${value}`);
    return value;
  }
}

@Injectable()
export class ExpenseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ID.test(value)) throw notFound('EXPENSE_NOT_FOUND', `no expense ${value}`);
    return value;
  }
}

@Injectable()
export class StatementNumberPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    if (!/^[1-9][0-9]{0,8}$/.test(value)) throw notFound('STATEMENT_NOT_FOUND', `no statement ${value}`);
    return Number(value);
  }
}

/** `:id`, `:expenseId` and `:number` of the routes under /conventions, through the pipes above. */
export const ConventionId = () => Param('id', ConventionIdPipe);
export const ExpenseId = () => Param('expenseId', ExpenseIdPipe);
export const StatementNumber = () => Param('number', StatementNumberPipe);
