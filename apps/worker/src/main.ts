import { isBrokerError } from '@joinedup/core';
import { loadConfigFromProcess } from '@joinedup/config';
import { createWorker } from './bootstrap.js';

try {
  const config = loadConfigFromProcess();
  const app = await createWorker(config);
  await app.listen(config.workerPort, config.host);
} catch (error) {
  console.error(isBrokerError(error) ? error.message : error);
  process.exit(1);
}
