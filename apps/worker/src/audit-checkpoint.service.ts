import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { importJWK, type JWK } from 'jose';
import { DataSource } from 'typeorm';
import { createCheckpoint, CHECKPOINT_ALG, type CheckpointOutcome, type CheckpointSigner } from '@joinedup/audit';
import { BrokerError, systemClock } from '@joinedup/core';
import { BrokerSigningKeyRepository } from '@joinedup/persistence';

/**
 * Signs the audit chain's head with the broker's active key (the one the api signs tokens with; the
 * checkpoint's JWS `typ` keeps the two apart). Idempotent: an unchanged head is not signed twice.
 */
@Injectable()
export class AuditCheckpointService implements CheckpointSigner {
  private readonly keys: BrokerSigningKeyRepository;

  constructor(private readonly dataSource: DataSource) {
    this.keys = new BrokerSigningKeyRepository(dataSource);
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
