import type { Logger } from '@nestjs/common';

/** How often schedulers are checked for, in case Redis lost them. */
export const SCHEDULER_CHECK_MS = 10_000;

/** What keepSchedulers needs of a BullMQ queue. */
interface SchedulingQueue {
  upsertJobScheduler(id: string, repeat: { every: number }, template: { name: string; data: object }): Promise<unknown>;
  getJobScheduler(id: string): Promise<unknown>;
}

/**
 * Job schedulers live in Redis, so a Redis that lost its data (FLUSHALL, a crash inside AOF's window)
 * loses them and the timers they drive. This upserts them now, then checks every `checkMs` and puts back
 * any that is missing. Only a missing one is upserted again, so a long period (hourly retention) is
 * never pushed back by the check. Returns the function that stops checking.
 */
export async function keepSchedulers(
  queue: SchedulingQueue,
  schedulers: readonly { id: string; every: number }[],
  checkMs: number,
  logger: Logger,
): Promise<() => void> {
  const put = (s: { id: string; every: number }) =>
    queue.upsertJobScheduler(s.id, { every: s.every }, { name: s.id, data: {} });
  for (const s of schedulers) await put(s);
  const timer = setInterval(() => {
    void (async () => {
      for (const s of schedulers)
        if (!(await queue.getJobScheduler(s.id))) {
          await put(s);
          logger.warn({ scheduler: s.id }, 'a job scheduler was missing from Redis; put back');
        }
    })().catch((error: Error) => logger.warn({ err: error.message }, 'could not check the job schedulers'));
  }, checkMs);
  timer.unref();
  return () => clearInterval(timer);
}
