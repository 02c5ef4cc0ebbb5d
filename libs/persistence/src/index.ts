export * from './data-source-factory.js';
export * from './database-setup.js';
export * from './entities/index.js';
export * from './database.module.js';
export * from './postgres.health.js';
export * from './scope.js';
export * from './repositories/index.js';
