import { Counter, Histogram, type Registry } from 'prom-client';
import type { DeliveryObserver } from '@joinedup/coordination-service';

/** Delivery counters and the notification-to-delivery latency, registered on the worker's registry. */
export function deliveryMetrics(registry: Registry): DeliveryObserver {
  const attempts = new Counter({
    name: 'joinedup_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome (delivered, retry, fail, disable, refused)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const dead = new Counter({
    name: 'joinedup_webhook_dead_letters_total',
    help: 'Deliveries moved to the dead-letter list',
    registers: [registry],
  });
  const suppressed = new Counter({
    name: 'joinedup_notifications_suppressed_total',
    help: 'Notifications suppressed because governance no longer allowed what they disclose',
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'joinedup_webhook_delivery_latency_seconds',
    help: 'From notification written to webhook delivered',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15, 60, 300, 3600, 86400],
    registers: [registry],
  });
  return {
    attempted: (outcome) => attempts.inc({ outcome }),
    delivered: (seconds) => latency.observe(seconds),
    dead: () => dead.inc(),
    suppressed: () => suppressed.inc(),
  };
}
