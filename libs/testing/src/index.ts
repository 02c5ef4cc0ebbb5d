export * from './test-database.js';
export * from './test-config.js';
export * from './redis-server.js';
export * from './agency-client.js';
export * from './agreements.js';
export * from './place-records.js';
