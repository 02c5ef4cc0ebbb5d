import type { Queue } from 'bullmq';

/** States in which a job has not started: when it runs, it will see everything that happened until then. */
const NOT_STARTED = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/**
 * Queues a job that redoes a whole task from the current state (re-governing every link, say) at most
 * once while the last one queued here has not started: a second one waiting would repeat the first's
 * work for nothing. Once the last one is running or done, the next request queues a new job, so a change
 * made while one runs is still covered. (A linkage worker asked every minute while a batch re-link held
 * the linkage lock for minutes once piled up a dozen, each re-governing a million links in turn.)
 */
export class OneWaiting<Data extends object> {
  private last?: string;

  constructor(
    private readonly queue: Queue,
    private readonly name: string,
    private readonly data: (id: string) => Data,
  ) {}

  /** Queues one unless the last one queued here is still waiting; answers the job id that covers it. */
  async request(): Promise<string> {
    if (this.last && NOT_STARTED.has(await this.queue.getJobState(this.last))) return this.last;
    const id = `${this.name}-${Date.now()}`;
    await this.queue.add(this.name, this.data(id), { jobId: id });
    this.last = id;
    return id;
  }
}
