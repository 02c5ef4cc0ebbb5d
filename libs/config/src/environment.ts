import { existsSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, validateSync } from 'class-validator';
import { BrokerError } from '@joinedup/core';

/**
 * Every environment variable the broker reads, with safe local defaults.
 * `.env.example` documents each key; keep the two in step.
 */
class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV = 'development';

  /** Interface both apps listen on; 0.0.0.0 in containers. */
  @IsString()
  HOST = '127.0.0.1';

  /** 0 picks a free port (tests). */
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_PORT = 3001;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Append logs to this file (written synchronously) instead of stdout; the privacy canary reads it back. */
  @IsOptional()
  @IsString()
  LOG_FILE?: string;

  /** The app's own role: neither superuser nor table owner. */
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://joinedup_app:joinedup_app@127.0.0.1:5432/joinedup';

  /** The owner role: runs migrations, never used by the running apps. */
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_OWNER_URL must be a postgres:// URL' })
  DATABASE_OWNER_URL = 'postgres://postgres@127.0.0.1:5432/joinedup';

  @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Every Redis key the broker writes starts with this, so tests and tenants of one Redis cannot collide. */
  @Matches(/^[a-zA-Z0-9:_-]{1,64}$/, { message: 'REDIS_PREFIX must be 1-64 of [a-zA-Z0-9:_-]' })
  REDIS_PREFIX = 'joinedup';

  /** The broker's public base URL: the OAuth issuer and the audience of client assertions. */
  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_URL = 'http://localhost:3000';

  @IsOptional()
  @IsString()
  BOOTSTRAP_ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  BOOTSTRAP_ADMIN_PASSWORD?: string;

  /** Requests per minute allowed to one agency client, person or (unauthenticated) address. */
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 1200;

  /** Largest request body in bytes (single records and JSON APIs; bulk NDJSON streams are not buffered). */
  @IsInt()
  @Min(1024)
  MAX_BODY_BYTES = 1_048_576;

  /** How often the worker signs a checkpoint of the audit chain's head (seconds). */
  @IsInt()
  @Min(10)
  AUDIT_CHECKPOINT_EVERY_SECONDS = 600;

  /** Days a withdrawn or erased record's tombstone is kept before the retention job removes it. */
  @IsInt()
  @Min(0)
  RETENTION_DAYS_WITHDRAWN = 30;

  /**
   * Hosts, addresses or CIDR ranges webhook URLs may point at although they are private or loopback,
   * comma-separated (development and tests only; e.g. `127.0.0.1,localhost`). Empty in production.
   */
  @IsString()
  WEBHOOK_ALLOW_HOSTS = '';

  /** The first retry's window after a failed webhook delivery (ms); later windows double, capped at 4 h. */
  @IsInt()
  @Min(1)
  WEBHOOK_RETRY_BASE_MS = 10_000;

  /** How long one webhook delivery may take before it counts as failed (ms). */
  @IsInt()
  @Min(100)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** How often the worker re-queues notifications and deliveries whose jobs Redis lost (seconds). */
  @IsInt()
  @Min(1)
  DELIVERY_SWEEP_SECONDS = 30;
}

export type BrokerConfig = Readonly<{
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  workerPort: number;
  logLevel: string;
  /** Undefined: stdout. */
  logFile?: string;
  databaseUrl: string;
  databaseOwnerUrl: string;
  redisUrl: string;
  redisPrefix: string;
  publicUrl: string;
  bootstrapAdmin?: { email: string; password: string };
  maxBodyBytes: number;
  rateLimitPerMinute: number;
  auditCheckpointEverySeconds: number;
  retentionDaysWithdrawn: number;
  webhookAllowHosts: string[];
  webhookRetryBaseMs: number;
  webhookTimeoutMs: number;
  deliverySweepSeconds: number;
}>;

const NUMERIC_KEYS = new Set([
  'PORT',
  'WORKER_PORT',
  'MAX_BODY_BYTES',
  'RATE_LIMIT_PER_MINUTE',
  'AUDIT_CHECKPOINT_EVERY_SECONDS',
  'RETENTION_DAYS_WITHDRAWN',
  'WEBHOOK_RETRY_BASE_MS',
  'WEBHOOK_TIMEOUT_MS',
  'DELIVERY_SWEEP_SECONDS',
]);

/**
 * Validates the environment once and lists every problem at once.
 * Unknown keys are ignored (the process environment holds far more than ours).
 */
export function loadConfig(env: Record<string, string | undefined>): BrokerConfig {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(new EnvironmentVariables())) {
    const value = env[key];
    if (value === undefined || value === '') continue;
    raw[key] = NUMERIC_KEYS.has(key) && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  for (const key of ['BOOTSTRAP_ADMIN_EMAIL', 'BOOTSTRAP_ADMIN_PASSWORD']) {
    if (env[key]) raw[key] = env[key];
  }
  const vars = Object.assign(new EnvironmentVariables(), plainToInstance(EnvironmentVariables, raw));
  // One line per key: a non-number PORT also fails Min and Max, which says nothing new.
  const problems = validateSync(vars, { skipMissingProperties: false }).map((error) => ({
    key: error.property,
    message: Object.values(error.constraints ?? {})[0] ?? `${error.property} is invalid`,
  }));
  if (Boolean(vars.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(vars.BOOTSTRAP_ADMIN_PASSWORD)) {
    problems.push({
      key: 'BOOTSTRAP_ADMIN_PASSWORD',
      message: 'set both BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD, or neither',
    });
  }
  if (vars.BOOTSTRAP_ADMIN_PASSWORD && vars.BOOTSTRAP_ADMIN_PASSWORD.length < 12) {
    problems.push({
      key: 'BOOTSTRAP_ADMIN_PASSWORD',
      message: 'BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters',
    });
  }
  if (problems.length > 0) {
    const list = problems.map((p) => `  - ${p.message}`).join('\n');
    throw new BrokerError('CONFIG_INVALID', `invalid environment (${problems.length} problem(s)):\n${list}`, problems);
  }
  return {
    nodeEnv: vars.NODE_ENV as BrokerConfig['nodeEnv'],
    host: vars.HOST,
    port: vars.PORT,
    workerPort: vars.WORKER_PORT,
    logLevel: vars.LOG_LEVEL,
    logFile: vars.LOG_FILE,
    databaseUrl: vars.DATABASE_URL,
    databaseOwnerUrl: vars.DATABASE_OWNER_URL,
    redisUrl: vars.REDIS_URL,
    redisPrefix: vars.REDIS_PREFIX,
    publicUrl: vars.PUBLIC_URL.replace(/\/$/, ''),
    bootstrapAdmin:
      vars.BOOTSTRAP_ADMIN_EMAIL && vars.BOOTSTRAP_ADMIN_PASSWORD
        ? { email: vars.BOOTSTRAP_ADMIN_EMAIL, password: vars.BOOTSTRAP_ADMIN_PASSWORD }
        : undefined,
    maxBodyBytes: vars.MAX_BODY_BYTES,
    rateLimitPerMinute: vars.RATE_LIMIT_PER_MINUTE,
    auditCheckpointEverySeconds: vars.AUDIT_CHECKPOINT_EVERY_SECONDS,
    retentionDaysWithdrawn: vars.RETENTION_DAYS_WITHDRAWN,
    webhookAllowHosts: vars.WEBHOOK_ALLOW_HOSTS.split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    webhookRetryBaseMs: vars.WEBHOOK_RETRY_BASE_MS,
    webhookTimeoutMs: vars.WEBHOOK_TIMEOUT_MS,
    deliverySweepSeconds: vars.DELIVERY_SWEEP_SECONDS,
  };
}

/** The single place `process.env` is read; a `.env` file in the working directory is loaded first. */
export function loadConfigFromProcess(): BrokerConfig {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return loadConfig(process.env);
}
