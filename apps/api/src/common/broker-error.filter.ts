import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BrokerError, type ErrorCode, newId } from '@joinedup/core';
import { HTTP_STATUS_OF } from './error-codes.js';

export interface ErrorBody {
  code: ErrorCode | string;
  message: string;
  details?: unknown;
  requestId?: string;
  errorId?: string;
}

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'DEPENDENCY_DOWN',
};

/**
 * One filter maps every error to a stable JSON body: `code`, `message`, `details`, `requestId`.
 * Unexpected errors get an `errorId` that is logged with the stack; their message is never echoed.
 */
@Catch()
export class BrokerErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const { status, body } = this.toBody(exception);
    body.requestId = request.id ? String(request.id) : undefined;
    if (response.headersSent) {
      response.end();
      return;
    }
    if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response.status(status).json(body);
  }

  private toBody(exception: unknown): { status: number; body: ErrorBody } {
    if (exception instanceof BrokerError) {
      return {
        status: HTTP_STATUS_OF[exception.code],
        body: { code: exception.code, message: exception.message, details: exception.details },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const code = CODE_OF_STATUS[status] ?? `HTTP_${status}`;
      if (typeof response === 'string') return { status, body: { code, message: response } };
      const down = (response as { error?: Record<string, unknown> }).error;
      if (status === 503 && down && typeof down === 'object') {
        // A failed readiness check: name what is down, keep the check's own report as details.
        return {
          status,
          body: { code, message: `not ready: ${Object.keys(down).join(', ')} down`, details: response },
        };
      }
      return {
        status,
        body: { code, message: String((response as { message?: unknown }).message ?? exception.message) },
      };
    }
    // body-parser errors carry their own status (413 too large, 400 malformed JSON).
    const parserError = exception as { type?: string; status?: number };
    if (typeof parserError?.status === 'number' && typeof parserError.type === 'string') {
      const status = parserError.status;
      const message =
        parserError.type === 'entity.too.large' ? 'request body is too large' : 'request body is not valid JSON';
      return { status, body: { code: CODE_OF_STATUS[status] ?? 'VALIDATION_FAILED', message } };
    }
    const errorId = newId();
    this.logger.error({ errorId, err: exception }, 'unexpected error');
    return { status: 500, body: { code: 'INTERNAL', message: 'unexpected error', errorId } };
  }
}
