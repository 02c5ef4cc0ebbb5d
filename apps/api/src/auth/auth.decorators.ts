import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, Role, Scope } from './principal.js';

export const REQUIRED_SCOPES = 'joinedup:scopes';
export const REQUIRED_ROLES = 'joinedup:roles';

/** The route needs a token carrying every one of these scopes. */
export const RequireScopes = (...scopes: Scope[]): ClassDecorator & MethodDecorator =>
  SetMetadata(REQUIRED_SCOPES, scopes);

/** The route needs a principal holding at least one of these roles. */
export const RequireRoles = (...roles: Role[]): ClassDecorator & MethodDecorator => SetMetadata(REQUIRED_ROLES, roles);

/** The verified caller, set by the auth guard. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return request.principal;
});
