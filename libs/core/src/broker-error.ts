/**
 * Domain error codes. Libs and the worker throw BrokerError with one of these;
 * only the api's error filter turns a code into an HTTP status.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'STALE_VERSION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'DEPENDENCY_DOWN',
  'GOVERNANCE_DENIED',
  'CONFIG_INVALID',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Details must never carry personal data: field names, line numbers and reasons only. */
export type ErrorDetails = object;

export class BrokerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = 'BrokerError';
  }
}

export function isBrokerError(value: unknown): value is BrokerError {
  return value instanceof BrokerError;
}
