export * from './redis.module.js';
export * from './redis.health.js';
export * from './queue-contract.js';
export * from './queues.js';
export * from './outbox-relay.js';
export * from './relink-flow.js';
export * from './one-waiting.js';
