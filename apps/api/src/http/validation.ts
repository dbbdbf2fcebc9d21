import { type ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';

export interface FieldError {
  field: string;
  messages: string[];
}

/** Flattens nested class-validator errors into dotted paths: `tranches.1.amount`. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/**
 * Every `null` in a JSON body, by dotted path. No field of the API takes null: an optional field
 * is left out, never sent as null (which `@IsOptional()` would let through, and which would then
 * be stored as null in an event).
 */
export function nullFields(value: unknown, prefix = ''): string[] {
  if (value === null) return [prefix || '(body)'];
  if (typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => nullFields(child, prefix ? `${prefix}.${key}` : key));
}

/**
 * Every key of a JSON body that names something its class already has: a method of the request
 * class (`toCommand`) at the top, a member of every object (`toString`, `valueOf`,
 * `hasOwnProperty`...) anywhere. class-transformer skips such keys without a word, so that the
 * whitelist never sees them and the request would be recorded without them: they are refused as
 * unknown fields, like any other.
 */
export function inheritedKeys(value: unknown, metatype?: abstract new (...args: never[]) => unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const own = metatype?.prototype ?? Object.prototype;
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
    const field = prefix ? `${prefix}.${key}` : key;
    return [...(key in own ? [field] : []), ...inheritedKeys(child, undefined, field)];
  });
}

const validationFailed = (fields: FieldError[]) => {
  const summary = fields.map((f) => `${f.field}: ${f.messages.join('; ')}`).join(' | ');
  return new ApiError(400, 'VALIDATION_FAILED', `invalid request: ${summary}`, { errors: fields });
};

/** Refuses a list as a body, null anywhere in a body, and keys named like inherited members (400, naming each field), then validates as usual. */
class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Path parameters are read by their own pipes (http/path-params.ts) from the raw text: an
    // implicit conversion here would let "0x1", "1e0", "+1" or "1.0" name statement 1.
    if (metadata.type === 'param') return value;
    if (metadata.type === 'body') {
      // Every body is a JSON object: a list would pass the validation of a class without required
      // fields (`EmptyRequest`, the `{}` of a webhook replay) untouched.
      if (Array.isArray(value)) throw validationFailed([{ field: '(body)', messages: ['request body must be a JSON object, not a list'] }]);
      const nulls = nullFields(value);
      if (nulls.length) throw validationFailed(nulls.map((field) => ({ field, messages: [`${field} must not be null: leave an optional field out instead`] })));
    }
    // Bodies and query strings alike: `?toString=1` is as unknown as `?foo=1`.
    if (metadata.type === 'body' || metadata.type === 'query') {
      const inherited = inheritedKeys(value, metadata.metatype as (abstract new (...args: never[]) => unknown) | undefined);
      if (inherited.length) throw validationFailed(inherited.map((field) => ({ field, messages: [`property ${field.split('.').pop()} should not exist`] })));
    }
    return super.transform(value, metadata);
  }
}

/** Strict validation: unknown fields are refused, not silently dropped, and so is null. */
export function createValidationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
  });
}
