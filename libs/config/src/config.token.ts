/** Injection token for the validated BrokerConfig (plain object, no framework types here). */
export const BROKER_CONFIG = Symbol.for('joinedup.BrokerConfig');
