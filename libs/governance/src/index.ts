export * from './agreement.js';
export * from './agreement-lifecycle.js';
export * from './agreement-validation.js';
export * from './consent.js';
export * from './governance-engine.js';
export * from './lawful-basis.js';
export * from './simulate.js';
export * from './record-categories.js';
