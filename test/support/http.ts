import { signIn } from '@joinedup/testing';

export type Json = Record<string, unknown>;

/** A JSON call to the api as `token`: status and parsed body. */
export function jsonClient(base: string) {
  return async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
  };
}

/** Registers a person of `agencyId` with `roles` through the admin API and signs them in. */
export async function staffMember(
  base: string,
  adminToken: string,
  agencyId: string,
  name: string,
  roles: string[],
): Promise<string> {
  const email = `${name}@${agencyId}.test`;
  const password = `password-${name}-123`;
  const made = await jsonClient(base)(adminToken, 'POST', `/v1/admin/agencies/${agencyId}/people`, {
    staffRef: name,
    email,
    displayName: name,
    roles,
    password,
  });
  expect(made.status).toBe(201);
  return signIn(base, email, password);
}
