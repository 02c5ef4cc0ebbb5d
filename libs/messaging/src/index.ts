export * from './redis.module.js';
export * from './redis.health.js';
