import type { ErrorCode } from '@joinedup/core';

/** The only place a domain error code becomes an HTTP status. */
export const HTTP_STATUS_OF: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STALE_VERSION: 409,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  DEPENDENCY_DOWN: 503,
  GOVERNANCE_DENIED: 403,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
};
