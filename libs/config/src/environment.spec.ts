import { BrokerError } from '@joinedup/core';
import { loadConfig } from '@joinedup/config';

describe('loadConfig', () => {
  it('gives safe local defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('postgres://joinedup_app:joinedup_app@127.0.0.1:5432/joinedup');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.bootstrapAdmin).toBeUndefined();
  });

  it('reads and converts the values it is given', () => {
    const config = loadConfig({ PORT: '8080', REDIS_PREFIX: 'run-1', PUBLIC_URL: 'https://broker.example/' });
    expect(config.port).toBe(8080);
    expect(config.redisPrefix).toBe('run-1');
    expect(config.publicUrl).toBe('https://broker.example');
  });

  it('lists every bad variable at once', () => {
    let thrown: unknown;
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://nope', NODE_ENV: 'staging', BOOTSTRAP_ADMIN_EMAIL: 'a@b.c' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BrokerError);
    const error = thrown as BrokerError;
    expect(error.code).toBe('CONFIG_INVALID');
    const keys = (error.details as { key: string }[]).map((p) => p.key).sort();
    expect(keys).toEqual(['BOOTSTRAP_ADMIN_PASSWORD', 'NODE_ENV', 'PORT', 'REDIS_URL']);
    expect(error.message).toContain('4 problem(s)');
  });
});
