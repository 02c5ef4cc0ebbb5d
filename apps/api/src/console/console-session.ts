import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

/** The console's session cookie holds the broker access token the person signed in with (HttpOnly). */
export const SESSION_COOKIE = 'joinedup_session';

export interface ConsoleUser {
  token: string;
  kind: 'person' | 'platform-admin' | 'client';
  roles: string[];
  agency?: string;
  personId: string;
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

/**
 * Who is signed in, read from the token's claims for display and navigation only: every action goes to
 * the API with the token, and the API verifies it. An expired or malformed token reads as signed out.
 */
export function currentUser(req: Request): ConsoleUser | undefined {
  const token = readCookie(req, SESSION_COOKIE);
  if (!token) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      kind: ConsoleUser['kind'];
      roles?: string[];
      agency?: string;
      sub: string;
      exp?: number;
    };
    if (claims.exp !== undefined && claims.exp * 1000 < Date.now()) return undefined;
    return { token, kind: claims.kind, roles: claims.roles ?? [], agency: claims.agency, personId: claims.sub };
  } catch {
    return undefined;
  }
}

export function setSession(res: Response, token: string, secure: boolean, maxAgeSeconds: number): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    maxAge: maxAgeSeconds * 1000,
  });
}

export function clearSession(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}

/**
 * CSRF token for forms: an HMAC of the session token under a per-process key, so it is bound to the
 * session, cannot be read by another site (the session cookie is HttpOnly and SameSite=Strict anyway),
 * and needs no server-side state.
 */
export class CsrfTokens {
  constructor(private readonly key: Buffer) {}

  issue(session: string): string {
    return createHmac('sha256', this.key).update(session).digest('base64url');
  }

  check(session: string, candidate: unknown): boolean {
    if (typeof candidate !== 'string') return false;
    const expected = Buffer.from(this.issue(session));
    const given = Buffer.from(candidate);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
