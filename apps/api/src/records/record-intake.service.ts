import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type CanonicalRecord, contentHash, GroupCommit } from '@joinedup/core';
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

/** One round of one request: its agency's records, external ids unique. */
interface Round {
  agencyId: string;
  writes: RecordWrite[];
  context: IntakeContext;
}

/** Rounds of at most this many records share a transaction with other requests' rounds. */
const GROUPED_ROUND = 100;
/** Requests per shared transaction, and records in it at most. */
const GROUP_ROUNDS = 64;
const GROUP_RECORDS = 1000;

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
  /**
   * Concurrent small requests (an agency system sending records one by one) are written together: the
   * rounds that arrive while one transaction runs go in the next, one commit for all, each with its own
   * audit event and correlation id. A round never shares a transaction with one that names the same
   * record, nor overtakes it.
   */
  private readonly rounds = new GroupCommit<Round, Map<Round, WriteOutcome[]>>(
    (group) => this.writeRounds(group),
    GROUP_ROUNDS,
    (round, taken, skipped) =>
      taken.reduce((n, r) => n + r.writes.length, round.writes.length) <= GROUP_RECORDS &&
      ![...taken, ...skipped].some((other) => sameRecord(other, round)),
  );

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
      const item: Round = { agencyId, writes: round.map((p) => p.write), context };
      const outcomes = (
        item.writes.length <= GROUPED_ROUND ? await this.rounds.submit(item) : await this.writeRounds([item])
      ).get(item)!;
      round.forEach((p, i) => results.push(toLineResult(p, outcomes[i]!)));
      pending = later;
    }
    return results.sort((a, b) => a.line - b.line);
  }

  /** Rounds in one transaction, each with its `records.received` audit event naming its records. */
  private async writeRounds(rounds: Round[]): Promise<Map<Round, WriteOutcome[]>> {
    const outcomes = await this.records.upsertParts(
      rounds.map((r) => ({ agencyId: r.agencyId, writes: r.writes, correlationId: r.context.correlationId })),
      (manager, written) =>
        this.audit.appendMany(
          manager,
          rounds.map(({ agencyId, context }, i) => ({
            type: 'records.received',
            actor: context.actor,
            agencyId,
            subjects: written[i]!.map((o) => `${agencyId}/${o.externalId}`),
            details: { requestId: context.correlationId, received: written[i]!.length, ...countOutcomes(written[i]!) },
          })),
        ),
    );
    return new Map(rounds.map((r, i) => [r, outcomes[i]!]));
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

function sameRecord(a: Round, b: Round): boolean {
  if (a.agencyId !== b.agencyId) return false;
  const ids = new Set(a.writes.map((w) => w.externalId));
  return b.writes.some((w) => ids.has(w.externalId));
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
