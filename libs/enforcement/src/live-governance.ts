import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { GovernanceEngine, type Agreement } from '@joinedup/governance';
import {
  AgreementRegisterRepository,
  ConsentRegisterRepository,
  consentRecordsOf,
  SCOPE_SETTING,
  type StoredConsent,
} from '@joinedup/persistence';

/** Channel of the NotifyGovernanceChanges trigger; the payload is `{ table, id, version }`. */
export const GOVERNANCE_CHANNEL = 'joinedup_governance';
/** How often the row counts are compared, as a backstop for a missed notification. */
const CHECK_EVERY_MS = 2000;
const RECONNECT_MS = 1000;

interface Change {
  table: 'agreement_version' | 'consent_record';
  id: string;
}

/**
 * The decision engine of this process, kept current with the register: changes made here apply at
 * once; changes made by other processes arrive by NOTIFY within a second. A lost connection or a
 * missed notification is caught by comparing row counts every 2 s (the tables are append-only, so
 * a new row always changes a count) and reloading everything. The poll is a per-process cache
 * refresh, not scheduled work, so it is a plain interval rather than a BullMQ job.
 */
@Injectable()
export class LiveGovernance implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('governance');
  private readonly agreements: AgreementRegisterRepository;
  private readonly consents: ConsentRegisterRepository;
  private current = GovernanceEngine.create([]);
  private counts = { agreements: -1, consents: -1 };
  /** Updates run one after another, so a reload never overwrites a newer change. */
  private queue: Promise<void> = Promise.resolve();
  private listener?: pg.Client;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    private readonly dataSource: DataSource,
  ) {
    this.agreements = new AgreementRegisterRepository(dataSource);
    this.consents = new ConsentRegisterRepository(dataSource);
  }

  get engine(): GovernanceEngine {
    return this.current;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reload();
    await this.listen();
    this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.end().catch(() => undefined);
    await this.queue;
  }

  /** A version this process just committed: decisions here use it without waiting for the NOTIFY. */
  applyAgreement(a: Agreement): void {
    this.current = this.current.withAgreements([a]);
  }

  applyConsent(c: StoredConsent): void {
    this.current = this.current.withConsents(consentRecordsOf(c));
  }

  /** Everything, from one snapshot. */
  reload(): Promise<void> {
    return this.enqueue(async () => {
      const loaded = await this.dataSource.transaction('REPEATABLE READ', async (m) => {
        await m.query(`SELECT set_config('${SCOPE_SETTING}', 'system', true)`);
        const counts = await this.countsIn(m);
        const agreements = await this.agreements.latestAllIn(m);
        const consents = await this.consents.allIn(m);
        return { counts, agreements, consents };
      });
      this.current = GovernanceEngine.create(loaded.agreements, loaded.consents.flatMap(consentRecordsOf));
      this.counts = loaded.counts;
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch((error: unknown) =>
      this.logger.warn({ err: (error as Error).message }, 'governance engine update failed; the check will retry'),
    );
    return next;
  }

  private async countsIn(m: { query: (sql: string) => Promise<{ a: number; c: number }[]> }) {
    const [row] = await m.query(
      `SELECT (SELECT count(*) FROM agreement_version)::int AS a, (SELECT count(*) FROM consent_record)::int AS c`,
    );
    return { agreements: row!.a, consents: row!.c };
  }

  private async check(): Promise<void> {
    if (this.stopped) return;
    try {
      const counts = await this.dataSource.transaction(async (m) => {
        await m.query(`SELECT set_config('${SCOPE_SETTING}', 'system', true)`);
        return this.countsIn(m);
      });
      if (counts.agreements !== this.counts.agreements || counts.consents !== this.counts.consents) {
        await this.reload();
      }
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'governance check failed');
    }
  }

  private onChange(change: Change): Promise<void> {
    return this.enqueue(async () => {
      if (change.table === 'agreement_version') {
        const latest = await this.agreements.latest(change.id);
        if (latest) this.current = this.current.withAgreements([latest]);
        this.counts.agreements += 1;
      } else {
        const record = await this.consents.byId(change.id);
        if (record) this.current = this.current.withConsents(consentRecordsOf(record));
        this.counts.consents += 1;
      }
    });
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.config.databaseUrl,
      application_name: 'joinedup-governance',
    });
    this.listener = client;
    client.on('notification', (n) => {
      try {
        void this.onChange(JSON.parse(n.payload ?? '') as Change);
      } catch {
        void this.reload();
      }
    });
    client.on('error', (error) => {
      this.logger.warn({ err: error.message }, 'governance listener lost; reconnecting');
      void client.end().catch(() => undefined);
      if (!this.stopped) setTimeout(() => void this.reconnect(), RECONNECT_MS).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${GOVERNANCE_CHANNEL}`);
  }

  private async reconnect(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.listen();
      await this.reload(); // whatever changed while the listener was away
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'governance listener reconnect failed');
      setTimeout(() => void this.reconnect(), RECONNECT_MS).unref();
    }
  }
}
