import type { DataSource, EntityManager } from 'typeorm';
import type { Agreement } from '@joinedup/governance';
import { queryRows, withAgencyScope, withSystemScope } from '../../scope.js';
import { agreementFromJson, agreementToJson } from './agreement-json.js';

export interface AgreementListFilter {
  status?: string;
  limit: number;
}

const LATEST = `SELECT DISTINCT ON (id) content FROM agreement_version`;

/**
 * The agreement register: every version of every agreement, append-only. Reads for people take the
 * agency (row-level security shows only agreements it is a party to); the engine loads in system scope.
 */
export class AgreementRegisterRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Appends one version inside the caller's transaction; a concurrent change of the same version fails on the key. */
  async append(manager: EntityManager, a: Agreement): Promise<void> {
    await manager.query(
      `INSERT INTO agreement_version (id, version, status, parties, content, author) VALUES ($1, $2, $3, $4, $5, $6)`,
      [a.id, a.version, a.status, a.parties, agreementToJson(a), a.change.by],
    );
  }

  /** The latest version, read in the caller's (scoped) transaction. */
  async latestIn(manager: EntityManager, id: string): Promise<Agreement | null> {
    const rows = await queryRows<{ content: Record<string, unknown> }>(
      manager,
      `${LATEST} WHERE id = $1 ORDER BY id, version DESC`,
      [id],
    );
    return rows[0] ? agreementFromJson(rows[0].content) : null;
  }

  async versions(agencyId: string, id: string): Promise<Agreement[]> {
    const rows: { content: Record<string, unknown> }[] = await withAgencyScope(this.dataSource, agencyId, (m) =>
      m.query(`SELECT content FROM agreement_version WHERE id = $1 ORDER BY version`, [id]),
    );
    return rows.map((r) => agreementFromJson(r.content));
  }

  async version(agencyId: string, id: string, version: number): Promise<Agreement | null> {
    const rows: { content: Record<string, unknown> }[] = await withAgencyScope(this.dataSource, agencyId, (m) =>
      m.query(`SELECT content FROM agreement_version WHERE id = $1 AND version = $2`, [id, version]),
    );
    return rows[0] ? agreementFromJson(rows[0].content) : null;
  }

  /** Latest version of each agreement the agency is a party to. */
  async list(agencyId: string, filter: AgreementListFilter): Promise<Agreement[]> {
    const rows: { content: Record<string, unknown> }[] = await withAgencyScope(this.dataSource, agencyId, (m) =>
      m.query(
        `SELECT content FROM (${LATEST} ORDER BY id, version DESC) latest
         WHERE $1::text IS NULL OR content->>'status' = $1 ORDER BY content->>'id' LIMIT $2`,
        [filter.status ?? null, filter.limit],
      ),
    );
    return rows.map((r) => agreementFromJson(r.content));
  }

  /** Latest version of every agreement: what the decision engine loads. */
  async latestAll(): Promise<Agreement[]> {
    return withSystemScope(this.dataSource, (m) => this.latestAllIn(m));
  }

  /** As latestAll, in the caller's system-scoped transaction (one snapshot with the consent records). */
  async latestAllIn(manager: EntityManager): Promise<Agreement[]> {
    const rows = await queryRows<{ content: Record<string, unknown> }>(manager, `${LATEST} ORDER BY id, version DESC`);
    return rows.map((r) => agreementFromJson(r.content));
  }

  /** Latest version of one agreement, in system scope (the engine following a NOTIFY). */
  async latest(id: string): Promise<Agreement | null> {
    return withSystemScope(this.dataSource, (m) => this.latestIn(m, id));
  }
}
