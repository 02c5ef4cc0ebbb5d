import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type CanonicalRecord, contentHash } from '@joinedup/core';
import type { AuditActor } from '@joinedup/audit';
import { type RecordWrite, SourceRecordRepository, type WriteOutcome } from '@joinedup/persistence';
import { AuditTrail } from '../audit/audit-trail.service.js';
import { loadNeedCodes } from './needs-config.js';
import { type FieldIssue, validateRecord } from './record-validator.js';

export type LineResult =
  | {
      line: number;
      externalId: string;
      status: 'accepted' | 'updated' | 'unchanged';
      version: number;
      warnings?: FieldIssue[];
    }
  | { line: number; externalId?: string; status: 'rejected'; errors: FieldIssue[] };

/** A record that passed validation, ready to write. */
export interface PreparedRecord {
  line: number;
  write: RecordWrite;
  warnings: FieldIssue[];
}

/** Who sends, and the request id that ties the write's outbox events and its audit event together. */
export interface IntakeContext {
  correlationId: string;
  actor: AuditActor;
}

/** Counts of one write's outcomes, for its audit event. */
function countOutcomes(outcomes: WriteOutcome[]): Record<WriteOutcome['status'], number> {
  const counts = { created: 0, updated: 0, unchanged: 0, stale: 0 };
  for (const o of outcomes) counts[o.status] += 1;
  return counts;
}

/**
 * Validation and writing shared by the single, bulk and FHIR routes, so every door applies the same
 * rules. Writes go through the agency-scoped repository (one transaction per batch), and each
 * transaction appends one `records.received` audit event naming the records as `agency/externalId`.
 */
@Injectable()
export class RecordIntakeService {
  private readonly needCodes = loadNeedCodes();
  readonly records: SourceRecordRepository;

  constructor(
    dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {
    this.records = new SourceRecordRepository(dataSource);
  }

  /** Validates one parsed record; `agency` is checked when the line names one (bulk files do). */
  prepare(input: unknown, line: number, agencyId: string, today: string): PreparedRecord | LineResult {
    let body = input;
    if (typeof input === 'object' && input !== null && !Array.isArray(input) && 'agency' in input) {
      const { agency, ...rest } = input as Record<string, unknown>;
      if (agency !== agencyId) {
        return {
          line,
          status: 'rejected',
          errors: [{ field: 'agency', reason: 'must be the agency of the calling client' }],
        };
      }
      body = rest;
    }
    const result = validateRecord(body, { needCodes: this.needCodes, today });
    if (!result.ok) {
      const externalId =
        typeof (body as { externalId?: unknown })?.externalId === 'string'
          ? (body as { externalId: string }).externalId
          : undefined;
      return {
        line,
        externalId: externalId && externalId.length <= 128 ? externalId : undefined,
        status: 'rejected',
        errors: result.errors,
      };
    }
    const record: CanonicalRecord = result.record;
    return {
      line,
      warnings: result.warnings,
      write: {
        externalId: record.externalId,
        version: record.version,
        contentHash: contentHash(record),
        record,
        invalidFields: result.invalidFields,
      },
    };
  }

  /**
   * Writes prepared records. A file may carry the same external id twice: later lines go in later
   * rounds, so each line's answer says what happened to it in file order.
   */
  async write(agencyId: string, prepared: PreparedRecord[], context: IntakeContext): Promise<LineResult[]> {
    const results: LineResult[] = [];
    let pending = prepared;
    while (pending.length > 0) {
      const seen = new Set<string>();
      const round: PreparedRecord[] = [];
      const later: PreparedRecord[] = [];
      for (const p of pending) {
        if (seen.has(p.write.externalId)) later.push(p);
        else {
          seen.add(p.write.externalId);
          round.push(p);
        }
      }
      const outcomes = await this.records.upsertBatch(
        agencyId,
        round.map((p) => p.write),
        context.correlationId,
        (manager, written) =>
          this.audit.append(manager, {
            type: 'records.received',
            actor: context.actor,
            agencyId,
            subjects: written.map((o) => `${agencyId}/${o.externalId}`),
            details: { requestId: context.correlationId, received: written.length, ...countOutcomes(written) },
          }),
      );
      round.forEach((p, i) => results.push(toLineResult(p, outcomes[i]!)));
      pending = later;
    }
    return results.sort((a, b) => a.line - b.line);
  }

  /** Withdraws one record; null when there is no active record with this external id. */
  async withdraw(
    agencyId: string,
    externalId: string,
    context: IntakeContext,
  ): Promise<{ recordId: string; version: number } | null> {
    return this.records.withdraw(agencyId, externalId, context.correlationId, (manager) =>
      this.audit.append(manager, {
        type: 'records.withdrawn',
        actor: context.actor,
        agencyId,
        subjects: [`${agencyId}/${externalId}`],
        details: { requestId: context.correlationId },
      }),
    );
  }
}

function toLineResult(p: PreparedRecord, outcome: WriteOutcome): LineResult {
  const warnings = p.warnings.length > 0 ? { warnings: p.warnings } : {};
  switch (outcome.status) {
    case 'created':
      return {
        line: p.line,
        externalId: outcome.externalId,
        status: 'accepted',
        version: outcome.version,
        ...warnings,
      };
    case 'updated':
      return { line: p.line, externalId: outcome.externalId, status: 'updated', version: outcome.version, ...warnings };
    case 'unchanged':
      return { line: p.line, externalId: outcome.externalId, status: 'unchanged', version: outcome.version };
    case 'stale':
      return {
        line: p.line,
        externalId: outcome.externalId,
        status: 'rejected',
        errors: [
          {
            field: 'version',
            reason: `version ${outcome.version} is not newer than the stored version ${outcome.storedVersion}`,
          },
        ],
      };
  }
}
