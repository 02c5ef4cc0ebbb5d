import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { importJWK, type JWK } from 'jose';
import { DataSource } from 'typeorm';
import {
  AuditSequencer,
  createCheckpoint,
  CHECKPOINT_ALG,
  type CheckpointOutcome,
  type CheckpointSigner,
} from '@joinedup/audit';
import { BrokerError, systemClock } from '@joinedup/core';
import { BrokerSigningKeyRepository } from '@joinedup/persistence';

/** How often the worker chains audit events left pending (a process that died between commit and flush). */
const SWEEP_PENDING_MS = 1_000;

/**
 * Signs the audit chain's head with the broker's active key (the one the api signs tokens with; the
 * checkpoint's JWS `typ` keeps the two apart). Idempotent: an unchanged head is not signed twice. Also
 * the backstop of the audit sequencer: every second it chains events a crashed process left pending.
 */
@Injectable()
export class AuditCheckpointService implements CheckpointSigner, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('audit');
  private readonly keys: BrokerSigningKeyRepository;
  private sweep?: NodeJS.Timeout;

  constructor(private readonly dataSource: DataSource) {
    this.keys = new BrokerSigningKeyRepository(dataSource);
  }

  onApplicationBootstrap(): void {
    const sequencer = AuditSequencer.of(this.dataSource);
    this.sweep = setInterval(() => {
      sequencer.flush().then(
        (chained) => chained > 0 && this.logger.log({ chained }, 'chained audit events left pending'),
        (error: Error) => this.logger.warn({ err: error.message }, 'could not chain pending audit events'),
      );
    }, SWEEP_PENDING_MS);
    this.sweep.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    await AuditSequencer.of(this.dataSource).close();
  }

  async signingKey(): Promise<{ kid: string; key: Awaited<ReturnType<typeof importJWK>> }> {
    const active = await this.keys.active();
    if (!active) throw new BrokerError('INTERNAL', 'the broker has no active signing key yet (the api creates it)');
    return { kid: active.kid, key: await importJWK(active.privateJwk as JWK, CHECKPOINT_ALG) };
  }

  /** What the timer reports: "created 1234", "skipped: ...", or "refused: chain broken at ...". */
  async run(): Promise<string> {
    if (!(await this.keys.active())) return 'skipped: no broker signing key yet';
    const outcome: CheckpointOutcome = await createCheckpoint(this.dataSource, this, systemClock);
    switch (outcome.status) {
      case 'created':
        return `created at seq ${outcome.checkpoint.seq}`;
      case 'unchanged':
        return `skipped: head unchanged at seq ${outcome.checkpoint.seq}`;
      case 'empty':
        return 'skipped: the chain is empty';
      case 'refused': {
        // A broken chain is never signed. Retrying cannot mend it: the job fails for people to see, and
        // the scheduler tries again on its next tick.
        const broken = outcome.verification.firstBroken;
        throw new UnrecoverableError(
          `audit chain broken at seq ${broken?.seq ?? '?'} (${broken?.reason ?? '?'}): not signed`,
        );
      }
    }
  }
}
