import { Controller, Get, Header } from '@nestjs/common';
import { WorkerMetrics } from './worker-metrics.js';

/**
 * Prometheus scrape endpoint on the worker's internal port (not exposed to agencies): queue depths,
 * outbox backlog and oldest age, delivery attempts, failures, dead letters and delivery latency.
 */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: WorkerMetrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
