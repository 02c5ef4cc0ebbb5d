export * from './batch-relink.js';
export * from './linkage-service.js';
export * from './trained-model.js';
export * from './model-versions.js';
export * from './relink-runs.js';
