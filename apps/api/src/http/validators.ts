import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { isBusinessDate, isMoneyText } from '@cl/domain';

/** M1: money strictly above zero as a string with at most two decimals; JSON numbers, exponents, signs are refused. */
export const IsPositiveMoney = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isPositiveMoney',
      validator: {
        validate: (value) => isMoneyText(value) && /[1-9]/.test(value),
        defaultMessage: () => '$property must be an amount above zero as a string with at most 2 decimals, e.g. "800000.00"',
      },
    },
    options,
  );

/** M2: a real calendar date, YYYY-MM-DD ('2021-02-30' is refused). */
export const IsBusinessDate = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isBusinessDate',
      validator: {
        validate: (value) => isBusinessDate(value),
        defaultMessage: () => '$property must be a calendar date YYYY-MM-DD',
      },
    },
    options,
  );

/**
 * An optional field that may be left out but not sent as `null`: where absent means "unchanged",
 * null means nothing, so it is validated (and refused) like any other value. `@IsOptional()`
 * would let null through.
 */
export const IsOptionalButNotNull = () => ValidateIf((_object, value) => value !== undefined);

/**
 * A query-string integer written in decimal digits only: "0x10", "1e1", "+1", "1.0" stay text
 * (and fail @IsInt), so one number has one spelling, never an alias.
 */
export const DecimalInteger = () =>
  Transform(({ value }) => (typeof value === 'string' && /^(0|[1-9][0-9]{0,15})$/.test(value) ? Number(value) : value));
