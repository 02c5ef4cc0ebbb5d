import type { DataSource, EntityManager } from 'typeorm';

/**
 * Row-level security context. Agency-owned tables carry a policy (see the Isolate*ByAgency migrations) that
 * shows a row only when `joinedup.agency_id` names its agency, or when the transaction runs in the
 * system scope (the token endpoint looking up a client, the worker's linkage). The settings are
 * transaction-local (`set_config(..., true)`), so a pooled connection never carries them over, and a
 * query with no context set sees no agency-owned rows at all.
 */
export const AGENCY_SETTING = 'joinedup.agency_id';
export const SCOPE_SETTING = 'joinedup.scope';

const SYSTEM_SCOPE_AND_LOCK = `SELECT set_config('${SCOPE_SETTING}', 'system', true), pg_advisory_xact_lock(hashtext($1))`;

/** Runs `work` in a transaction that can see only `agencyId`'s rows. */
export async function withAgencyScope<T>(
  dataSource: DataSource,
  agencyId: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT set_config('${AGENCY_SETTING}', $1, true)`, [agencyId]);
    return work(manager);
  });
}

/**
 * Runs `work` in a transaction that sees every agency's rows: broker-internal processing only. With
 * `lock`, the transaction first takes that transaction-level advisory lock, in the same statement.
 */
export async function withSystemScope<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  { lock }: { lock?: string } = {},
): Promise<T> {
  return dataSource.transaction(async (manager) => {
    if (lock) await preparedRows(manager, SYSTEM_SCOPE_AND_LOCK, [lock]);
    else await manager.query(`SELECT set_config('${SCOPE_SETTING}', 'system', true)`);
    return work(manager);
  });
}

/**
 * Rows of any statement. TypeORM's `query` answers `[rows, count]` for UPDATE/DELETE ... RETURNING and
 * plain rows otherwise; this always answers the rows.
 */
export async function queryRows<T>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(sql, params, true);
    return result.records as T[];
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

/** Statement names by SQL text: a name is bound to its text on every connection that prepares it. */
const statementNames = new Map<string, string>();

/**
 * Rows of a statement run as a named prepared statement on the manager's connection: PostgreSQL parses
 * and plans it once per connection, not on every call (planning the statements that link one record cost
 * about as much as running them). Only for SQL whose text is fixed (the name stands for the text); outside
 * a transaction it runs as a plain query.
 */
export async function preparedRows<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) return manager.query(sql, params);
  let name = statementNames.get(sql);
  if (!name) statementNames.set(sql, (name = `joinedup_${statementNames.size + 1}`));
  const client = (await runner.connect()) as { query(q: object): Promise<{ rows: T[] }> };
  return (await client.query({ name, text: sql, values: params })).rows;
}
