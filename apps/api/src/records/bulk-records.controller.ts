import { createHash } from 'node:crypto';
import { Controller, Headers, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { BrokerError } from '@joinedup/core';
import { IntakeRequestRepository } from '@joinedup/persistence';
import { DataSource } from 'typeorm';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { type LineResult, RecordIntakeService } from './record-intake.service.js';
import { intakeContext, requireAgency, today } from './calling-agency.js';
import { ingestBulk } from './usecases/ingest-bulk.usecase.js';

/** Answers kept for an Idempotency-Key replay: every line that was not plainly accepted, up to this many. */
const MAX_STORED_PROBLEM_LINES = 10_000;

/**
 * `POST /v1/records:bulk`: NDJSON in, one NDJSON answer per line out (streamed as chunks commit), then a
 * summary line. Valid lines are kept whatever happens to others; each chunk is its own transaction, so a
 * dropped connection loses no committed chunk and a retry of the same file answers `unchanged`.
 */
@ApiTags('records')
@ApiBearerAuth()
@Controller('v1')
export class BulkRecordsController {
  private readonly requests: IntakeRequestRepository;

  constructor(
    private readonly intake: RecordIntakeService,
    dataSource: DataSource,
  ) {
    this.requests = new IntakeRequestRepository(dataSource);
  }

  @Post('records\\:bulk')
  @RequireScopes('records:write')
  async bulk(
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: Request & { id?: string },
    @Res() response: Response,
  ): Promise<void> {
    const agencyId = requireAgency(principal);
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/(x-)?ndjson|^application\/jsonl|^text\/plain/.test(type)) {
      throw new BrokerError('VALIDATION_FAILED', 'send the records as NDJSON (Content-Type: application/x-ndjson)', [
        { field: 'Content-Type', reason: 'must be application/x-ndjson' },
      ]);
    }
    const hash = createHash('sha256');
    const hashed = (async function* () {
      for await (const piece of request as AsyncIterable<Buffer>) {
        hash.update(piece);
        yield piece;
      }
    })();

    if (idempotencyKey) {
      const stored = await this.requests.find(agencyId, idempotencyKey);
      if (stored) {
        for await (const _ of hashed); // the body must be the same file to replay its answer
        if (stored.requestHash !== hash.digest('hex')) {
          throw new BrokerError('CONFLICT', 'this Idempotency-Key was used for a different file', {
            header: 'Idempotency-Key',
          });
        }
        response.status(stored.statusCode).type('application/x-ndjson').setHeader('idempotent-replayed', 'true');
        const { lines, summary } = stored.response as { lines: LineResult[]; summary: unknown };
        response.end([...lines, { summary }].map((l) => JSON.stringify(l)).join('\n') + '\n');
        return;
      }
    }

    const context = intakeContext(principal, request);
    const correlationId = context.correlationId;
    response.status(200).type('application/x-ndjson').setHeader('x-correlation-id', correlationId);
    response.flushHeaders();
    const problems: LineResult[] = [];
    const emit = (result: LineResult): void => {
      // Writes are not awaited: a client that reads its answer only after sending the whole file must
      // not stall the reading of that file. Answers are small; they are buffered by the socket.
      response.write(`${JSON.stringify(result)}\n`);
      if ((result.status === 'rejected' || 'warnings' in result) && problems.length < MAX_STORED_PROBLEM_LINES)
        problems.push(result);
    };
    try {
      const summary = await ingestBulk(hashed, this.intake, agencyId, { ...context, today: today() }, emit);
      response.end(`${JSON.stringify({ summary })}\n`);
      if (idempotencyKey) {
        await this.requests.save(agencyId, idempotencyKey, {
          requestHash: hash.digest('hex'),
          statusCode: 200,
          response: { lines: problems, summary },
        });
      }
    } catch (error) {
      // Chunks already answered are committed; say where processing stopped, without internals.
      const aborted = request.destroyed || (error as { code?: string }).code === 'ECONNRESET';
      if (!aborted)
        response.end(
          `${JSON.stringify({ error: { code: 'INTERNAL', message: 'bulk intake stopped; answered lines are committed, retry the file' } })}\n`,
        );
      else response.destroy();
      if (!aborted) throw error;
    }
  }
}
