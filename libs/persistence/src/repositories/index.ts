export * from './source-record.repository.js';
export * from './record-change.repository.js';
export * from './intake-request.repository.js';
export * from './registry.repository.js';
export * from './governance/index.js';
export * from './broker-signing-key.repository.js';
export * from './linkage.repository.js';
export * from './subject-rights.repository.js';
