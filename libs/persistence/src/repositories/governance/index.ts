export * from './agreement-json.js';
export * from './agreement-register.repository.js';
export * from './consent-register.repository.js';
export * from './governance-decision.repository.js';
export * from './population-summary.repository.js';
