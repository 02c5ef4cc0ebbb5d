export * from './standard-webhooks.js';
export * from './url-safety.js';
