/** The console's client of the broker's own API: the same authorisation, validation and audit as any caller. */
export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** A field error as the API reports it (`details`), for the GOV.UK error summary. */
export interface FieldError {
  field: string;
  text: string;
}

export class ConsoleApi {
  constructor(private readonly base: string) {}

  async call<T = Record<string, unknown>>(
    token: string | null,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiAnswer<T>> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = { message: text };
    }
    return { status: response.status, body: parsed as T };
  }
}

/** The API's error body as GOV.UK error-summary items: each detail names its field. */
export function errorsOf(answer: ApiAnswer<unknown>): FieldError[] {
  const body = answer.body as { message?: string; details?: unknown };
  const details = Array.isArray(body?.details)
    ? (body.details as { field?: string; reason?: string; message?: string }[])
    : [];
  const listed = details
    .filter((d) => d && (d.reason || d.message))
    .map((d) => ({ field: d.field ?? '', text: `${d.field ? `${d.field}: ` : ''}${d.reason ?? d.message ?? ''}` }));
  return listed.length > 0 ? listed : [{ field: '', text: body?.message ?? `The broker answered ${answer.status}` }];
}
