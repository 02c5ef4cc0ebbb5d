import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { BrokerError } from '@joinedup/core';
import { IS_PUBLIC } from './public.decorator.js';

/** Global guard: a route without @Public() needs a verified principal, and there is none yet. */
@Injectable()
export class DenyByDefaultGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    throw new BrokerError('UNAUTHENTICATED', 'a bearer token is required');
  }
}
