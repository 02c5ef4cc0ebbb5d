import { BrokerError } from '@joinedup/core';
import type { DataSource, EntityManager } from 'typeorm';
import { queryRows, withAgencyScope, withSystemScope } from '../scope.js';

export interface AgencyRow {
  id: string;
  name: string;
  sector: string;
}
export interface ClientRow {
  id: string;
  clientId: string;
  name: string;
  scopes: string[];
  jwksUri: string | null;
  keyIds: string[];
  enabled: boolean;
}
export interface PersonRow {
  id: string;
  agencyId: string;
  staffRef: string;
  email: string;
  displayName: string;
  roles: string[];
  team: string | null;
  skills: string[];
  leadCapacity: number;
  active: boolean;
}
export interface WebhookRow {
  id: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
}

/**
 * Runs last inside the transaction of a registry change, and only when the change happened, so what it
 * writes (the change's audit event) commits or rolls back with the change.
 */
export type WithinChange = (manager: EntityManager) => Promise<unknown>;

const PERSON_COLUMNS = `id, agency_id AS "agencyId", staff_ref AS "staffRef", email, display_name AS "displayName", roles, team, skills,
  lead_capacity AS "leadCapacity", active`;

/**
 * The registry. Agencies are public to every caller; clients, people and webhooks are agency-owned and
 * every method that reads them takes the agency (row-level security backs it up).
 */
export class RegistryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async createAgency(agency: AgencyRow, within: WithinChange): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const rows = await m.query(
        `INSERT INTO agency (id, name, sector) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [agency.id, agency.name, agency.sector],
      );
      if (rows.length !== 1) return false;
      await within(m);
      return true;
    });
  }

  async listAgencies(): Promise<AgencyRow[]> {
    return this.dataSource.query(`SELECT id, name, sector FROM agency ORDER BY id`);
  }

  async agencyExists(id: string): Promise<boolean> {
    return (await this.dataSource.query(`SELECT 1 FROM agency WHERE id = $1`, [id])).length === 1;
  }

  async createClient(
    agencyId: string,
    client: {
      clientId: string;
      name: string;
      scopes: string[];
      jwks: { keys: object[] } | null;
      jwksUri: string | null;
    },
    within: WithinChange,
  ): Promise<void> {
    await withAgencyScope(this.dataSource, agencyId, async (m) => {
      await m.query(
        `INSERT INTO api_client (client_id, agency_id, name, scopes, jwks, jwks_uri) VALUES ($1, $2, $3, $4, $5, $6)`,
        [client.clientId, agencyId, client.name, client.scopes, client.jwks, client.jwksUri],
      );
      await within(m);
    });
  }

  async listClients(agencyId: string): Promise<ClientRow[]> {
    return withAgencyScope(this.dataSource, agencyId, (m) =>
      m.query(
        `SELECT id, client_id AS "clientId", name, scopes, jwks_uri AS "jwksUri", enabled,
           COALESCE((SELECT array_agg(k->>'kid') FROM jsonb_array_elements(jwks->'keys') k), '{}') AS "keyIds"
         FROM api_client WHERE agency_id = $1 ORDER BY created_at`,
        [agencyId],
      ),
    );
  }

  /** Replaces a client's inline keys (key rotation on the agency's side). */
  async setClientKeys(
    agencyId: string,
    clientId: string,
    jwks: { keys: object[] },
    within: WithinChange,
  ): Promise<boolean> {
    return withAgencyScope(this.dataSource, agencyId, async (m) => {
      const rows = await queryRows(
        m,
        `UPDATE api_client SET jwks = $3, jwks_uri = NULL WHERE agency_id = $1 AND client_id = $2 RETURNING id`,
        [agencyId, clientId, jwks],
      );
      return changed(rows, m, within);
    });
  }

  async deleteClient(agencyId: string, clientId: string, within: WithinChange): Promise<boolean> {
    return withAgencyScope(this.dataSource, agencyId, async (m) => {
      const rows = await queryRows(m, `DELETE FROM api_client WHERE agency_id = $1 AND client_id = $2 RETURNING id`, [
        agencyId,
        clientId,
      ]);
      return changed(rows, m, within);
    });
  }

  async createPerson(
    agencyId: string,
    person: Omit<PersonRow, 'id' | 'agencyId' | 'active'> & { passwordHash: string | null },
    within: (manager: EntityManager, personId: string) => Promise<unknown>,
  ): Promise<string> {
    return withAgencyScope(this.dataSource, agencyId, async (m) => {
      const rows: { id: string }[] = await m
        .query(
          `INSERT INTO person (agency_id, staff_ref, email, display_name, roles, team, skills, lead_capacity, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [
            agencyId,
            person.staffRef,
            person.email,
            person.displayName,
            person.roles,
            person.team,
            person.skills,
            person.leadCapacity,
            person.passwordHash,
          ],
        )
        .catch((error: unknown) => {
          // The email (or staff reference) is taken: a conflict to report, not a server error.
          if ((error as { code?: string }).code === '23505')
            throw new BrokerError('CONFLICT', 'a person with this email or staff reference already exists');
          throw error;
        });
      await within(m, rows[0]!.id);
      return rows[0]!.id;
    });
  }

  async listPeople(agencyId: string): Promise<PersonRow[]> {
    return withAgencyScope(this.dataSource, agencyId, (m) =>
      m.query(`SELECT ${PERSON_COLUMNS} FROM person WHERE agency_id = $1 ORDER BY display_name`, [agencyId]),
    );
  }

  async getPerson(agencyId: string, personId: string): Promise<PersonRow | null> {
    if (!/^[0-9a-f-]{36}$/i.test(personId)) return null;
    const rows = await withAgencyScope(this.dataSource, agencyId, (m) =>
      m.query(`SELECT ${PERSON_COLUMNS} FROM person WHERE agency_id = $1 AND id = $2`, [agencyId, personId]),
    );
    return rows[0] ?? null;
  }

  /** Sign-in only: looks across agencies by email. */
  async findPersonForSignIn(email: string): Promise<(PersonRow & { passwordHash: string | null }) | null> {
    const rows = await withSystemScope(this.dataSource, (m) =>
      m.query(
        `SELECT ${PERSON_COLUMNS}, password_hash AS "passwordHash" FROM person WHERE lower(email) = lower($1) AND active`,
        [email],
      ),
    );
    return rows[0] ?? null;
  }

  async createWebhook(
    agencyId: string,
    hook: { url: string; secret: string; eventTypes: string[] },
    within: (manager: EntityManager, webhookId: string) => Promise<unknown>,
  ): Promise<string> {
    return withAgencyScope(this.dataSource, agencyId, async (m) => {
      const rows: { id: string }[] = await m.query(
        `INSERT INTO webhook_endpoint (agency_id, url, secret, event_types) VALUES ($1, $2, $3, $4) RETURNING id`,
        [agencyId, hook.url, hook.secret, hook.eventTypes],
      );
      await within(m, rows[0]!.id);
      return rows[0]!.id;
    });
  }

  async listWebhooks(agencyId: string): Promise<WebhookRow[]> {
    return withAgencyScope(this.dataSource, agencyId, (m) =>
      m.query(
        `SELECT id, url, event_types AS "eventTypes", enabled FROM webhook_endpoint WHERE agency_id = $1 ORDER BY created_at`,
        [agencyId],
      ),
    );
  }

  async deleteWebhook(agencyId: string, id: string, within: WithinChange): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
    return withAgencyScope(this.dataSource, agencyId, async (m) => {
      const rows = await queryRows(m, `DELETE FROM webhook_endpoint WHERE agency_id = $1 AND id = $2 RETURNING id`, [
        agencyId,
        id,
      ]);
      return changed(rows, m, within);
    });
  }
}

/** True when the statement changed its one row, after running `within` in the same transaction. */
async function changed(rows: unknown[], manager: EntityManager, within: WithinChange): Promise<boolean> {
  if (rows.length !== 1) return false;
  await within(manager);
  return true;
}
