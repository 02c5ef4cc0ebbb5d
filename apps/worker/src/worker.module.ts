import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { type BrokerConfig, ConfigModule, loggerParams } from '@joinedup/config';
import { EnforcementModule } from '@joinedup/enforcement';
import { DatabaseModule, PostgresHealthIndicator } from '@joinedup/persistence';
import { RedisHealthIndicator, RedisModule } from '@joinedup/messaging';
import { DeliveryProcessor } from './delivery/delivery.processor.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { WorkerMetrics } from './metrics/worker-metrics.js';
import { CoordinationProcessor } from './coordination/coordination.processor.js';
import { AuditCheckpointService } from './audit-checkpoint.service.js';
import { WorkerHealthController } from './health.controller.js';
import { LinkageBatchProcessor } from './linkage/linkage-batch.processor.js';
import { LinkageProcessor } from './linkage/linkage.processor.js';
import { OutboxRelayService } from './outbox-relay.service.js';
import { RecordRetentionService } from './record-retention.service.js';
import { TimersProcessor } from './timers.processor.js';
import { WorkerQueues } from './worker-queues.service.js';

@Module({})
export class WorkerModule {
  static forRoot(config: BrokerConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config, 'worker')),
        DatabaseModule,
        RedisModule,
        TerminusModule.forRoot({ logger: false }),
        EnforcementModule,
      ],
      controllers: [WorkerHealthController, MetricsController],
      providers: [
        PostgresHealthIndicator,
        RedisHealthIndicator,
        WorkerQueues,
        OutboxRelayService,
        AuditCheckpointService,
        RecordRetentionService,
        TimersProcessor,
        LinkageProcessor,
        LinkageBatchProcessor,
        CoordinationProcessor,
        WorkerMetrics,
        DeliveryProcessor,
      ],
    };
  }
}
