// Run by jest's global setup (through tsx, since global setup gets no module aliases):
// creates and migrates this run's template database and prints its name.
import { setupDatabase } from '@joinedup/persistence';
import { adminQuery, baseUrls, withDatabase } from './test-database.js';

const template = process.argv[2];
if (!template || !/^jt_[a-z0-9]+_template$/.test(template))
  throw new Error('usage: prepare-template.ts jt_<run>_template');
const { ownerUrl, appUrl } = baseUrls();
await adminQuery(`DROP DATABASE IF EXISTS "${template}"`);
await setupDatabase(withDatabase(ownerUrl, template), withDatabase(appUrl, template));
console.log(template);
