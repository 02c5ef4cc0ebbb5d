import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { BROKER_CONFIG, type BrokerConfig } from '@joinedup/config';
import { BrokerError } from '@joinedup/core';
import { LinkageService, RelinkRuns } from '@joinedup/linkage-service';
import { queueRelinkRun, REDIS } from '@joinedup/messaging';
import { auditActorOf, AuditTrail } from '../audit/audit-trail.service.js';
import { CurrentPrincipal, RequireRoles } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ProposeModelDto, RelinkDto } from './linkage.dto.js';

const DEFAULT_PARTITIONS = 4;

const requester = (p: Principal) => {
  const actor = auditActorOf(p);
  return `${actor.kind}:${actor.id}`;
};

/**
 * Batch re-links and model versions. A re-link is a run the worker processes share (partitions, then a
 * merge); these calls queue it and answer 202 with the run, which `GET runs/:id` follows to its diff. A
 * model change is proposed (a dry run measures it), read, then published (a run that applies it).
 */
@ApiTags('linkage: admin')
@ApiBearerAuth()
@RequireRoles('ig-officer', 'platform-admin')
@Controller('v1/admin/linkage')
export class LinkageRunsController {
  private readonly runs: RelinkRuns;

  constructor(
    private readonly dataSource: DataSource,
    private readonly linkage: LinkageService,
    private readonly audit: AuditTrail,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BROKER_CONFIG) private readonly config: BrokerConfig,
  ) {
    this.runs = new RelinkRuns(dataSource, linkage);
  }

  @Post('relink')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Re-link everything from scratch with the published model; by default a dry run that reports the diff',
  })
  async relink(@CurrentPrincipal() p: Principal, @Body() dto: RelinkDto) {
    return this.start(p, { dryRun: dto.dryRun ?? true, partitions: dto.partitions });
  }

  @Get('runs')
  @ApiOperation({ summary: 'Recent batch re-links, newest first' })
  async list() {
    return { runs: await this.runs.list() };
  }

  @Get('runs/:id')
  @ApiOperation({ summary: 'A batch re-link: status, each partition (which worker, pairs, seconds) and the diff' })
  async run(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.runs.view(id);
  }

  @Get('models')
  @ApiOperation({ summary: 'Model versions: the published one and those proposed or retired' })
  async models() {
    const db = this.dataSource.manager;
    const versions = this.linkage.versions;
    return {
      published: (await versions.publishedVersion(db)) ?? versions.fileVersion,
      versions: await versions.list(db),
    };
  }

  @Post('models')
  @ApiOperation({ summary: 'Propose a model version with other thresholds; a dry-run re-link measures its diff' })
  async propose(@CurrentPrincipal() p: Principal, @Body() dto: ProposeModelDto) {
    const { version, created } = await this.linkage.versions.propose(this.dataSource.manager, {
      link: dto.link,
      review: dto.review,
      reason: dto.reason,
      by: requester(p),
    });
    if (created) {
      await this.audit.record({
        type: 'linkage.model-proposed',
        actor: auditActorOf(p),
        details: { version: version.version, basedOn: version.basedOn, thresholds: version.thresholds },
      });
      const preview = await this.start(p, { dryRun: true, modelVersion: version.version });
      await this.linkage.versions.setPreviewRun(this.dataSource.manager, version.version, preview.id);
    }
    return this.model(version.version);
  }

  @Get('models/:version')
  @ApiOperation({ summary: 'A model version with the diff its dry run measured (links, persons, families)' })
  async model(@Param('version') version: string) {
    const found = await this.linkage.versions.find(this.dataSource.manager, version);
    if (!found) throw new BrokerError('NOT_FOUND', `no linkage model version ${version}`);
    return { ...found, preview: found.previewRunId ? await this.runs.view(found.previewRunId) : null };
  }

  @Post('models/:version/publish')
  @HttpCode(202)
  @ApiOperation({ summary: 'Publish a proposed version: a re-link applies it, and it is published when that commits' })
  async publish(@CurrentPrincipal() p: Principal, @Param('version') version: string) {
    const found = await this.linkage.versions.find(this.dataSource.manager, version);
    if (!found) throw new BrokerError('NOT_FOUND', `no linkage model version ${version}`);
    if (found.status === 'published') throw new BrokerError('CONFLICT', `${version} is already published`);
    return this.start(p, { dryRun: false, modelVersion: version });
  }

  /** Records the run, queues its jobs and audits the request; a run that could not be queued is failed. */
  private async start(p: Principal, input: { dryRun: boolean; partitions?: number; modelVersion?: string }) {
    const partitions = input.partitions ?? DEFAULT_PARTITIONS;
    const id = await this.runs.create({ ...input, partitions, requestedBy: requester(p) });
    try {
      await queueRelinkRun(this.redis, this.config.redisPrefix, id, partitions);
    } catch (error) {
      await this.runs.fail(id, 'the run could not be queued');
      throw error;
    }
    const run = await this.runs.view(id);
    await this.audit.record({
      type: 'linkage.relink-requested',
      actor: auditActorOf(p),
      details: { runId: id, dryRun: run.dryRun, partitions, modelVersion: run.modelVersion },
    });
    return run;
  }
}
