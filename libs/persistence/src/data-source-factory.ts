import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

/** Options shared by the apps (app role) and the TypeORM CLI (owner role). Never `synchronize`. */
export function dataSourceOptions(url: string, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    // gen_random_uuid() is built in since PostgreSQL 13; uuid-ossp would need an extension.
    uuidExtension: 'pgcrypto',
    // Short OLTP queries: PostgreSQL's JIT compiles whenever a plan looks costly (GIN lookups on the
    // blocking index do) and spends 10-300 ms doing it, and parallel workers take milliseconds to start;
    // both cost far more than the queries themselves.
    // 20 connections: the worker runs linkage, coordination and 32 concurrent deliveries at once.
    extra: { options: '-c jit=off -c max_parallel_workers_per_gather=0', max: 20 },
    ...extra,
  } as DataSourceOptions;
}

export function createDataSource(url: string, extra: Partial<DataSourceOptions> = {}): DataSource {
  return new DataSource(dataSourceOptions(url, extra));
}
