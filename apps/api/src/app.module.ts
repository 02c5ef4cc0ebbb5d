import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { type BrokerConfig, ConfigModule, loggerParams } from '@joinedup/config';
import { DatabaseModule, PostgresHealthIndicator } from '@joinedup/persistence';
import { RedisHealthIndicator, RedisModule } from '@joinedup/messaging';
import { BrokerErrorFilter } from './common/broker-error.filter.js';
import { DenyByDefaultGuard } from './auth/deny-by-default.guard.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { GovernanceModule } from './governance/governance.module.js';
import { LinkageModule } from './linkage/linkage.module.js';
import { CoordinationModule } from './coordination/coordination.module.js';
import { ConsoleModule } from './console/console.module.js';
import { SharingModule } from './sharing/sharing.module.js';
import { SubjectRightsModule } from './subject-rights/subject-rights.module.js';
import { HealthController } from './health/health.controller.js';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import { RedisRateCounter } from './rate-limit/redis-rate-counter.js';
import { RecordsModule } from './records/records.module.js';

@Module({})
export class ApiModule {
  static forRoot(config: BrokerConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, 'api')),
        DatabaseModule,
        RedisModule,
        TerminusModule.forRoot({ logger: false }),
        AuditModule,
        AuthModule,
        RecordsModule,
        GovernanceModule,
        LinkageModule,
        CoordinationModule,
        ConsoleModule,
        SharingModule,
        SubjectRightsModule,
      ],
      controllers: [HealthController],
      providers: [
        PostgresHealthIndicator,
        RedisHealthIndicator,
        RedisRateCounter,
        { provide: APP_FILTER, useClass: BrokerErrorFilter },
        { provide: APP_GUARD, useClass: DenyByDefaultGuard },
        // After authentication, so limits are counted per client, not per address.
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
