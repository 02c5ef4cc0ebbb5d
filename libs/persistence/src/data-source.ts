import { loadConfigFromProcess } from '@joinedup/config';
import { createDataSource } from './data-source-factory.js';

/**
 * The one data source of the TypeORM CLI (`npm run migration:*`). It connects as the owner, because
 * migrations create and alter tables; the apps build theirs from the same options as the app role.
 */
export default createDataSource(loadConfigFromProcess().databaseOwnerUrl);
