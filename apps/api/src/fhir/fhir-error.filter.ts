import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { BrokerError } from '@joinedup/core';
import { HTTP_STATUS_OF } from '../common/error-codes.js';
import { operationOutcome, type OperationOutcomeIssue } from './operation-outcome.js';

const FHIR_CODE: Record<string, OperationOutcomeIssue['code']> = {
  VALIDATION_FAILED: 'invalid',
  STALE_VERSION: 'conflict',
  CONFLICT: 'conflict',
  NOT_FOUND: 'not-found',
  FORBIDDEN: 'forbidden',
  UNAUTHENTICATED: 'security',
};

/** On FHIR routes every error is an OperationOutcome, so FHIR clients can read it. */
@Catch()
export class FhirErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let status = 500;
    let issues: OperationOutcomeIssue[] = [{ severity: 'error', code: 'exception', diagnostics: 'unexpected error' }];
    if (exception instanceof FhirOutcomeError) {
      status = exception.status;
      issues = exception.issues;
    } else if (exception instanceof BrokerError) {
      status = HTTP_STATUS_OF[exception.code];
      issues = [{ severity: 'error', code: FHIR_CODE[exception.code] ?? 'exception', diagnostics: exception.message }];
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      issues = [{ severity: 'error', code: status === 404 ? 'not-found' : 'invalid', diagnostics: exception.message }];
    } else if (typeof (exception as { status?: unknown })?.status === 'number') {
      status = (exception as { status: number }).status;
      issues = [
        {
          severity: 'error',
          code: 'structure',
          diagnostics: status === 413 ? 'resource is too large' : 'body is not valid JSON',
        },
      ];
    }
    if (response.headersSent) return void response.end();
    response.status(status).type('application/fhir+json').json(operationOutcome(issues));
  }
}

export class FhirOutcomeError extends Error {
  constructor(
    readonly status: number,
    readonly issues: OperationOutcomeIssue[],
  ) {
    super(issues.map((i) => i.diagnostics).join('; '));
  }
}
