export * from './agencies.js';
export * from './csv.js';
export * from './error-rates.js';
export * from './generate.js';
