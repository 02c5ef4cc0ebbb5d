import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { LiveGovernance } from '@joinedup/enforcement';
import { bullPrefix, changedRecords, OneWaiting, type JobPayloads, QUEUES, REDIS } from '@joinedup/messaging';
import { LinkageService, loadTrainedModel, type RelinkOutcome } from '@joinedup/linkage-service';
import { GroupCommit } from '@joinedup/core';
import { WorkerQueues } from '../worker-queues.service.js';

type LinkageJobName = 'record.changed' | 'linkage.regovern';
/** How often this process looks for a new governance engine (agreements or consent changed). */
const GOVERNANCE_POLL_MS = 500;
/** Time alone changes answers too (agreements and consent expire): re-ask at least this often. */
const REGOVERN_EVERY_MS = 60_000;
type LinkageJob = Job<JobPayloads[LinkageJobName], unknown, LinkageJobName>;

/** Jobs taken at once (a job names up to 100 record changes). */
const CONCURRENCY = 64;
/**
 * Record changes linked in one group at most. Groups run one at a time (the linkage lock), so under load
 * a bigger group spreads its fixed cost (lock, reads, candidate lookup, re-clustering, commit) over more
 * records; idle, a change still goes alone at once.
 */
const GROUP_RECORDS = 256;

/**
 * Links what agencies send (batch re-links run in LinkageBatchProcessor). Record changes are group-committed:
 * linkage holds one lock (components are re-clustered under it), so instead of one transaction per
 * change, the changes that arrive while a group is linked go together in the next one.
 */
@Injectable()
export class LinkageProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('linkage');
  private poll?: NodeJS.Timeout;
  private worker?: Worker<JobPayloads[LinkageJobName], unknown, LinkageJobName>;
  readonly service: LinkageService;
  private readonly changes: GroupCommit<{ recordId: string; correlationId: string }, RelinkOutcome>;
  private readonly regovernings: GroupCommit<string, RelinkOutcome & { flipped: number }>;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(REDIS) private readonly redis: Redis,
    dataSource: DataSource,
    private readonly governance: LiveGovernance,
    private readonly queues: WorkerQueues,
  ) {
    this.service = new LinkageService(dataSource, loadTrainedModel(), governance);
    this.changes = new GroupCommit((group) => this.service.relinkRecords(group), GROUP_RECORDS);
    // Re-governing reads the engine once it holds the linkage lock: the jobs that arrive while one runs
    // (or waits for the lock behind a batch) are all covered by one more run after it, not one each.
    this.regovernings = new GroupCommit(([first]) => this.service.regovern(first!), Number.MAX_SAFE_INTEGER);
  }

  onApplicationBootstrap(): void {
    const worker = new Worker(QUEUES.linkage, (job: LinkageJob) => this.process(job), {
      connection: this.redis,
      prefix: bullPrefix(this.config.redisPrefix),
      concurrency: CONCURRENCY,
    });
    this.worker = worker;
    let seen = this.governance.engine;
    let lastRun = Date.now();
    let asking = false;
    // A waiting job reads the newest engine when it runs: while one waits, asking again adds nothing.
    const regovern = new OneWaiting(this.queues.queues.linkage, 'linkage.regovern', (id) => ({ correlationId: id }));
    this.poll = setInterval(() => {
      const current = this.governance.engine;
      if (asking || (current === seen && Date.now() - lastRun < REGOVERN_EVERY_MS)) return;
      asking = true;
      void regovern
        .request()
        .then(() => {
          seen = current;
          lastRun = Date.now();
        })
        .catch((error: Error) => this.logger.warn({ err: error.message }, 'could not queue re-governing'))
        .finally(() => (asking = false));
    }, GOVERNANCE_POLL_MS);
    this.poll.unref();
    worker.on('failed', (job, error) =>
      this.logger.warn({ job: job?.name, jobId: job?.id, err: error.message }, 'linkage job failed'),
    );
  }

  async process(job: LinkageJob): Promise<unknown> {
    switch (job.name) {
      case 'record.changed': {
        const data = job.data as JobPayloads['record.changed'];
        // The job's records join the group being formed (and the next ones, past its size).
        const outcomes = await Promise.all(changedRecords(data).map((change) => this.changes.submit(change)));
        const groups = [...new Set(outcomes)]; // the records of one group share its outcome
        const persons = groups.reduce((n, o) => n + o.persons.length, 0);
        const families = groups.reduce((n, o) => n + o.families.length, 0);
        this.logger.debug(
          { correlationId: data.correlationId, persons, families },
          'records linked (with their group)',
        );
        return { records: outcomes.length, persons, families };
      }
      case 'linkage.regovern': {
        const outcome = await this.regovernings.submit(job.data.correlationId);
        if (outcome.flipped > 0)
          this.logger.log({ flipped: outcome.flipped, families: outcome.families.length }, 'links re-governed');
        return { flipped: outcome.flipped };
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    await this.worker?.close();
  }
}
