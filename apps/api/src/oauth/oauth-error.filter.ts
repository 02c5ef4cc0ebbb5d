import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { OAuthError } from './oauth-error.js';

/** RFC 6749 5.2 bodies on the token endpoint, whatever went wrong. */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('oauth');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error =
      exception instanceof OAuthError
        ? exception
        : (this.logger.error({ err: exception }, 'token endpoint failed'),
          new OAuthError('invalid_request', 'the request could not be processed'));
    response.setHeader('Cache-Control', 'no-store');
    if (error.status === 401) response.setHeader('WWW-Authenticate', 'Bearer error="invalid_client"');
    response.status(error.status).json({ error: error.error, error_description: error.description });
  }
}
