import type { Agreement } from '@joinedup/governance';

/** jsonb holds dates as ISO strings; the engine wants Dates back. */
export function agreementToJson(a: Agreement): Record<string, unknown> {
  return JSON.parse(JSON.stringify(a)) as Record<string, unknown>;
}

const date = (v: unknown): Date => new Date(v as string);

export function agreementFromJson(json: Record<string, unknown>): Agreement {
  const a = json as unknown as Agreement;
  return {
    ...a,
    validFrom: date(a.validFrom),
    validTo: date(a.validTo),
    reviewDate: date(a.reviewDate),
    ...(a.override ? { override: { ...a.override, expiresAt: date(a.override.expiresAt) } } : {}),
    approvals: a.approvals.map((x) => ({ ...x, at: date(x.at) })),
    change: { ...a.change, at: date(a.change.at) },
  };
}
