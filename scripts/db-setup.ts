// Creates the database and app role when missing and runs pending migrations (as the owner).
import { loadConfigFromProcess } from '@joinedup/config';
import { setupDatabase } from '@joinedup/persistence';

const config = loadConfigFromProcess();
const report = await setupDatabase(config.databaseOwnerUrl, config.databaseUrl);
const did = [
  report.createdDatabase ? `created database ${report.database}` : `database ${report.database} present`,
  report.createdRole ? 'created app role' : 'app role present',
  report.migrationsRun.length > 0 ? `ran ${report.migrationsRun.length} migration(s): ${report.migrationsRun.join(', ')}` : 'no pending migrations',
];
console.log(`db: ${did.join('; ')}`);
