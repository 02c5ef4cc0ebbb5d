import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { BrokerError } from '@joinedup/core';

/** Flattens nested validation errors into `{ field, reason }` pairs with dotted paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): { field: string; reason: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** The one global pipe: unknown fields are refused (mass assignment), types are converted. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      return new BrokerError(
        'VALIDATION_FAILED',
        `request is invalid: ${details.map((d) => d.field).join(', ')}`,
        details,
      );
    },
  });
}
