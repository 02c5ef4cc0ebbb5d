export * from './agreement-change.js';
export * from './agreement-expiry.js';
export * from './enforcement.module.js';
export * from './governance-decider.js';
export * from './live-governance.js';
