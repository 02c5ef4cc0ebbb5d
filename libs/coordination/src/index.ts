export * from './standard-webhooks.js';
export * from './url-safety.js';
export * from './delivery-policy.js';
export * from './working-days.js';
export * from './family.js';
export * from './lead-worker-policy.js';
export * from './choose-lead.js';
export * from './case-lifecycle.js';
