export * from './hash-chain.js';
export * from './audit-writer.js';
export * from './audit-store.js';
export * from './checkpoint.js';
export * from './audit-verifier.js';
export * from './audit-export.js';
export * from './audit-search.js';
export * from './audit-sequencer.js';
