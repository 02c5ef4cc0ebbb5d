import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { dataSourceOptions } from './data-source-factory.js';

/** The apps' connection, as the app role (never the owner). Migrations run before the apps start. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [BROKER_CONFIG],
      useFactory: (config: BrokerConfig) => ({
        ...dataSourceOptions(config.databaseUrl, {
          extra: { max: 10, application_name: 'joinedup' },
        }),
        // Start even when PostgreSQL is down, so /health/ready can say so.
        retryAttempts: 0,
        manualInitialization: false,
      }),
    }),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
