import type { NextFunction, Request, Response } from 'express';
import { BrokerError } from '@joinedup/core';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Paths of keys that could pollute prototypes if any code merged the body into an object. */
export function prototypeKeyPaths(value: unknown, path = '', found: string[] = []): string[] {
  if (typeof value !== 'object' || value === null || found.length > 10) return found;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) found.push(here);
    else prototypeKeyPaths((value as Record<string, unknown>)[key], here, found);
  }
  return found;
}

/** Refuses JSON bodies that carry `__proto__`, `constructor` or `prototype` keys, wherever they are. */
export function rejectPrototypeKeys(request: Request, _response: Response, next: NextFunction): void {
  const paths = prototypeKeyPaths(request.body);
  if (paths.length === 0) return next();
  next(
    new BrokerError(
      'VALIDATION_FAILED',
      `request is invalid: ${paths.join(', ')}`,
      paths.map((field) => ({ field, reason: 'is not allowed' })),
    ),
  );
}
