export * from './case-governance.js';
export * from './case-notifications.js';
export * from './case-store.js';
export * from './coordination-config.js';
export * from './coordination-service.js';
export * from './family-snapshot.js';
export * from './notification-gate.js';
export * from './webhook-delivery.js';
