export * from './broker-error.js';
export * from './clock.js';
export * from './ids.js';
export * from './source-record.js';
export * from './identifiers.js';
export * from './canonical-json.js';
export * from './prng.js';
export * from './group-commit.js';
