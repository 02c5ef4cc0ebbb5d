import type { DataSource } from 'typeorm';
import { withAgencyScope } from '../scope.js';

export interface StoredAnswer {
  requestHash: string;
  statusCode: number;
  response: unknown;
}

/** Answers kept per (agency, Idempotency-Key) so a retried request replays instead of re-running. */
export class IntakeRequestRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(agencyId: string, key: string): Promise<StoredAnswer | null> {
    return withAgencyScope(this.dataSource, agencyId, async (manager) => {
      const rows: { request_hash: string; status_code: number; response: unknown }[] = await manager.query(
        `SELECT request_hash, status_code, response FROM intake_request WHERE agency_id = $1 AND idempotency_key = $2`,
        [agencyId, key],
      );
      const row = rows[0];
      return row ? { requestHash: row.request_hash, statusCode: row.status_code, response: row.response } : null;
    });
  }

  /** First answer wins: a concurrent duplicate keeps the one stored before it. */
  async save(agencyId: string, key: string, answer: StoredAnswer): Promise<void> {
    await withAgencyScope(this.dataSource, agencyId, async (manager) => {
      await manager.query(
        `INSERT INTO intake_request (agency_id, idempotency_key, request_hash, status_code, response)
         VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT DO NOTHING`,
        [agencyId, key, answer.requestHash, answer.statusCode, JSON.stringify(answer.response)],
      );
    });
  }
}
