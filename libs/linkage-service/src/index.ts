export * from './batch-relink.js';
export * from './linkage-service.js';
export * from './trained-model.js';
