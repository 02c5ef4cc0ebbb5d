// Once per jest run: a migrated template database that each int/e2e test file clones
// (createTestDatabase). The run id keeps concurrent runs on one machine apart.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export default function globalSetup() {
  if (process.env.JOINEDUP_TEST_TEMPLATE) return; // shared by the int and e2e projects of one run
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const template = `jt_${runId}_template`;
  execFileSync('npx', ['--no-install', 'tsx', 'libs/testing/src/prepare-template.ts', template], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.env.JOINEDUP_TEST_RUN = runId;
  process.env.JOINEDUP_TEST_TEMPLATE = template;
}
