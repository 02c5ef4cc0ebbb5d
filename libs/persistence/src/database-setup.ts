import pg from 'pg';
import { createDataSource } from './data-source-factory.js';

/** The app's role name is fixed so migrations can grant and revoke on it. */
export const APP_ROLE = 'joinedup_app';

export interface SetupReport {
  database: string;
  createdDatabase: boolean;
  createdRole: boolean;
  migrationsRun: string[];
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Makes the database usable: creates it and the app role when missing, runs pending migrations as the
 * owner, and grants the app role what it may do. Idempotent; safe on every start.
 */
export async function setupDatabase(ownerUrl: string, appUrl: string): Promise<SetupReport> {
  const owner = new URL(ownerUrl);
  const app = new URL(appUrl);
  const database = decodeURIComponent(owner.pathname.slice(1));
  const appRole = decodeURIComponent(app.username);
  if (appRole !== APP_ROLE) throw new Error(`DATABASE_URL must use the role ${APP_ROLE}`);
  const appPassword = decodeURIComponent(app.password);

  const adminUrl = new URL(ownerUrl);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  let createdDatabase = false;
  let createdRole = false;
  try {
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [appRole]);
    if (role.rowCount === 0) {
      await admin.query(
        `CREATE ROLE ${quoteIdent(appRole)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD ${quoteLiteral(appPassword)}`,
      );
      createdRole = true;
    }
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (db.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
      createdDatabase = true;
    }
  } catch (error) {
    // Two setups racing: the loser finds the object made by the winner.
    if (!(error instanceof Error && /already exists/.test(error.message))) throw error;
  } finally {
    await admin.end();
  }

  const dataSource = createDataSource(ownerUrl);
  await dataSource.initialize();
  try {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    await grantAppRole(dataSource.query.bind(dataSource), database, appRole);
    return { database, createdDatabase, createdRole, migrationsRun: ran.map((m) => m.name) };
  } finally {
    await dataSource.destroy();
  }
}

/** Tables the app may only read and append to; a trigger in their migration refuses the rest too. */
export const APPEND_ONLY_TABLES: readonly string[] = [
  'audit_event',
  'audit_checkpoint',
  'agreement_version',
  'consent_record',
  'governance_decision',
];

/** SECURITY DEFINER functions the app role may call. */
export const OWNER_FUNCTIONS: readonly string[] = [
  'linkage_indexes_drop',
  'linkage_indexes_finish',
  'linkage_keys_stage',
  'linkage_keys_next_index',
  'linkage_keys_swap',
  'linkage_records_stage',
  'linkage_records_next_index',
  'linkage_records_swap',
];

async function grantAppRole(query: (sql: string) => Promise<unknown>, database: string, role: string): Promise<void> {
  const r = quoteIdent(role);
  await query(`GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO ${r}`);
  await query(`GRANT USAGE ON SCHEMA public TO ${r}`);
  await query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
  await query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
  await query(`REVOKE ALL ON typeorm_migrations FROM ${r}`);
  // Owner's operations the app may run, each a function of its own (see their migrations).
  for (const f of OWNER_FUNCTIONS) await query(`GRANT EXECUTE ON FUNCTION ${f}() TO ${r}`);
  for (const table of APPEND_ONLY_TABLES) {
    await query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${quoteIdent(table)} FROM ${r}`);
  }
}
