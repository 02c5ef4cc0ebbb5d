import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { BrokerConfig } from './environment.js';
import { BROKER_CONFIG } from './config.token.js';

/** Provides the already-validated config to both apps; it is read once, in main.ts. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: BrokerConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: BROKER_CONFIG, useValue: config }],
      exports: [BROKER_CONFIG],
    };
  }
}
