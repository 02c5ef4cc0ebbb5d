import { isBrokerError } from '@joinedup/core';
import { loadConfigFromProcess } from '@joinedup/config';
import { createApi } from './bootstrap.js';

try {
  const config = loadConfigFromProcess();
  const app = await createApi(config);
  await app.listen(config.port, config.host);
} catch (error) {
  // Configuration problems are listed whole; anything else keeps its stack.
  console.error(isBrokerError(error) && error.code === 'CONFIG_INVALID' ? error.message : error);
  process.exit(1);
}
