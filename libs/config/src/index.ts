export * from './environment.js';
export * from './config.token.js';
export * from './config.module.js';
export * from './logging.js';
