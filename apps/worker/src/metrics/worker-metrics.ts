import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { QUEUES } from '@joinedup/messaging';
import { WorkerQueues } from '../worker-queues.service.js';

/**
 * The worker's Prometheus registry: process metrics, queue depths, the outbox backlog and its oldest
 * row's age (read when scraped), and the delivery counters the processors register.
 */
@Injectable()
export class WorkerMetrics {
  readonly registry = new Registry();

  constructor(queues: WorkerQueues, dataSource: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'joinedup_worker_' });
    new Gauge({
      name: 'joinedup_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const name of Object.values(QUEUES)) {
          const counts = await queues.queues[name].getJobCounts('waiting', 'active', 'delayed', 'failed');
          for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
        }
      },
    });
    const outbox = async () =>
      (
        await dataSource.query<{ n: number; age: number | null }[]>(
          `SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float AS age
           FROM outbox_event WHERE relayed_at IS NULL`,
        )
      )[0]!;
    new Gauge({
      name: 'joinedup_outbox_backlog',
      help: 'Outbox rows not yet relayed to the queues',
      registers: [this.registry],
      async collect() {
        this.set((await outbox()).n);
      },
    });
    new Gauge({
      name: 'joinedup_outbox_oldest_age_seconds',
      help: 'Age of the oldest outbox row not yet relayed',
      registers: [this.registry],
      async collect() {
        this.set((await outbox()).age ?? 0);
      },
    });
    new Gauge({
      name: 'joinedup_dead_letters',
      help: 'Webhook deliveries in the dead-letter list',
      registers: [this.registry],
      async collect() {
        const [row] = await dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM webhook_delivery WHERE status = 'dead'`,
        );
        this.set(row!.n);
      },
    });
  }
}
