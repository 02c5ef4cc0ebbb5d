export * from './standard-webhooks.js';
export * from './url-safety.js';
export * from './delivery-policy.js';
export * from './working-days.js';
