import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { OUTBOX_CHANNEL, OutboxRelay } from '@joinedup/messaging';
import { WorkerQueues } from './worker-queues.service.js';

/**
 * Runs the outbox relay when PostgreSQL announces new rows (LISTEN), and on the `outbox.sweep` schedule
 * as a backstop for a missed notification. Any number of workers may do this at once.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('outbox-relay');
  private listener?: pg.Client;
  private relay?: OutboxRelay;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly dataSource: DataSource,
    private readonly queues: WorkerQueues,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay = new OutboxRelay(this.dataSource, this.queues.queues);
    this.listener = new pg.Client({ connectionString: this.config.databaseUrl, application_name: 'joinedup-relay' });
    this.listener.on('error', (error) => this.logger.warn({ err: error.message }, 'outbox listener lost'));
    await this.listener.connect();
    this.listener.on('notification', () => void this.trigger());
    await this.listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    void this.trigger();
  }

  /** Coalesces bursts of notifications into back-to-back relay passes. */
  trigger(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const moved = await this.relay!.drain();
          if (moved > 0) this.logger.debug({ moved }, 'relayed outbox rows');
        } catch (error) {
          this.logger.warn({ err: (error as Error).message }, 'outbox relay pass failed; the sweep will retry');
        }
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running;
    await this.listener?.end().catch(() => undefined);
  }
}
