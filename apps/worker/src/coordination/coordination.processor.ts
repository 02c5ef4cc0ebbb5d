import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { CoordinationService, loadCoordinationSettings } from '@joinedup/coordination-service';
import { LiveGovernance } from '@joinedup/enforcement';
import { bullPrefix, changedFamilies, type JobPayloads, QUEUES, REDIS } from '@joinedup/messaging';
import { GroupCommit } from '@joinedup/core';
import { keepSchedulers, SCHEDULER_CHECK_MS } from '../kept-schedulers.js';
import { WorkerQueues } from '../worker-queues.service.js';

type CoordinationJobName = 'family.changed' | 'offer.deadline' | 'cases.regovern' | 'offers.expire';
type CoordinationJob = Job<JobPayloads[CoordinationJobName], unknown, CoordinationJobName>;
/** How often this process looks for a new governance engine (agreements or consent changed). */
const GOVERNANCE_POLL_MS = 500;
/** Jobs taken at once: the family changes among them are coordinated in groups of up to this many. */
const CONCURRENCY = 64;
/** Backstop for deadline jobs lost with a Redis that kept nothing: overdue offers move on within a minute. */
const EXPIRE_EVERY_MS = 60_000;

/**
 * Coordinated cases: plans a family's case when linkage says it changed, moves offers on at their
 * deadlines, and re-plans every open case when agreements or consent change. Changes to one family are
 * serialised by a database lock, so several of these (in several workers) can run side by side; within
 * one worker, family changes are group-committed (see GroupCommit).
 */
@Injectable()
export class CoordinationProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('coordination');
  private poll?: NodeJS.Timeout;
  private worker?: Worker<JobPayloads[CoordinationJobName], unknown, CoordinationJobName>;
  readonly service: CoordinationService;
  private stopKeeping?: () => void;
  private readonly families: GroupCommit<{ familyId: string; correlationId: string }, number>;

  constructor(
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
    @Inject(REDIS) private readonly redis: Redis,
    dataSource: DataSource,
    private readonly governance: LiveGovernance,
    private readonly queues: WorkerQueues,
  ) {
    this.service = new CoordinationService(dataSource, governance, loadCoordinationSettings());
    this.families = new GroupCommit(async (group) => (await this.service.coordinateFamilies(group)).size, CONCURRENCY);
  }

  async onApplicationBootstrap(): Promise<void> {
    const queue = this.queues.queues.coordination;
    this.stopKeeping = await keepSchedulers(
      queue,
      [{ id: 'offers.expire', every: EXPIRE_EVERY_MS }],
      SCHEDULER_CHECK_MS,
      this.logger,
    );
    this.worker = new Worker(QUEUES.coordination, (job: CoordinationJob) => this.process(job), {
      connection: this.redis,
      prefix: bullPrefix(this.config.redisPrefix),
      concurrency: CONCURRENCY,
    });
    this.worker.on('failed', (job, error) =>
      this.logger.warn({ job: job?.name, jobId: job?.id, err: error.message }, 'coordination job failed'),
    );
    let seen = this.governance.engine;
    this.poll = setInterval(() => {
      const current = this.governance.engine;
      if (current === seen) return;
      seen = current;
      const at = Date.now();
      void queue
        .add('cases.regovern', { correlationId: `cases-regovern-${at}` }, { jobId: `cases-regovern-${at}` })
        .catch((error: Error) => this.logger.warn({ err: error.message }, 'could not queue re-planning of cases'));
    }, GOVERNANCE_POLL_MS);
    this.poll.unref();
  }

  async process(job: CoordinationJob): Promise<unknown> {
    switch (job.name) {
      case 'family.changed': {
        const data = job.data as JobPayloads['family.changed'];
        // The job's families join the group being formed (and the next ones, past its size).
        const sizes = await Promise.all(changedFamilies(data).map((change) => this.families.submit(change)));
        return { families: sizes.length, coordinatedWithGroupsOf: sizes };
      }
      case 'offer.deadline':
      case 'offers.expire': {
        const correlationId = 'correlationId' in job.data ? job.data.correlationId : `offers-expire-${job.id ?? ''}`;
        return { expired: await this.service.expireDueOffers(correlationId) };
      }
      case 'cases.regovern': {
        const data = job.data as JobPayloads['cases.regovern'];
        const changed = await this.service.regovernOpenCases(data.correlationId);
        if (changed > 0) this.logger.log({ changed }, 'cases re-planned after a governance change');
        return { changed };
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    this.stopKeeping?.();
    await this.worker?.close();
  }
}
