import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditWriter } from '@joinedup/audit';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { SubjectRightsRepository, withSystemScope } from '@joinedup/persistence';

const DAY_MS = 86_400_000;

/**
 * Removes records past their retention period: withdrawn and erased tombstones (already emptied) older
 * than RETENTION_DAYS_WITHDRAWN. Logs and audits counts per agency only, never which records.
 * Idempotent: a second run finds nothing left to remove.
 */
@Injectable()
export class RecordRetentionService {
  private readonly logger = new Logger('retention');
  private readonly repo = new SubjectRightsRepository();
  private readonly audit = new AuditWriter();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
  ) {}

  /** What the timer reports: "removed 3 (leeds-csc 2, leeds-police 1)" or "skipped: none due". */
  async run(now: Date): Promise<string> {
    const days = this.config.retentionDaysWithdrawn;
    const before = new Date(now.getTime() - days * DAY_MS);
    const counts = await withSystemScope(this.dataSource, async (m) => {
      const removed = await this.repo.removeExpiredTombstones(m, before);
      const total = Object.values(removed).reduce((a, b) => a + b, 0);
      if (total > 0) {
        await this.audit.append(m, {
          type: 'records.retention-removed',
          actor: { kind: 'system', id: 'retention' },
          at: now,
          details: { removed: total, byAgency: removed, retentionDays: days, emptiedBefore: before.toISOString() },
        });
      }
      return removed;
    });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total === 0) return 'skipped: none due';
    this.logger.log({ removed: total, byAgency: counts, retentionDays: days }, 'retention removed tombstones');
    const list = Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([agency, n]) => `${agency} ${n}`)
      .join(', ');
    return `removed ${total} (${list})`;
  }
}
