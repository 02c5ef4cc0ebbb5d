import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import type { CanonicalRecord } from '@joinedup/core';
import { BrokerError } from '@joinedup/core';
import { GovernanceDecider } from '@joinedup/enforcement';
import { categoriesOf, redactRecord } from '@joinedup/governance';
import { LinkageRepository, withAgencyScope, withSystemScope } from '@joinedup/persistence';
import { auditActorOf, AuditTrail } from '../audit/audit-trail.service.js';
import { CurrentPrincipal, RequireScopes } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { requireAgency } from '../records/calling-agency.js';
import { explainLink } from '../linkage/link-explanation.js';

export class SharedQuery {
  @ApiPropertyOptional({ default: 'case-coordination' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  purpose?: string;
}

/**
 * The enforcement point for reads: what other agencies hold about the person one of the caller's records
 * is linked to, each record cut down to the categories the governance decision permits, with why it is
 * shown ("linked because ...; shared because agreement X vN ..."). Every decision and disclosure is
 * recorded.
 */
@ApiTags('records')
@ApiBearerAuth()
@RequireScopes('records:read')
@Controller('v1/records')
export class SharedRecordsController {
  private readonly linkage = new LinkageRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly decider: GovernanceDecider,
    private readonly audit: AuditTrail,
  ) {}

  @Get(':externalId/shared')
  @ApiOperation({ summary: "Other agencies' records about the same person, as far as governance permits" })
  async shared(@CurrentPrincipal() p: Principal, @Param('externalId') externalId: string, @Query() q: SharedQuery) {
    const agency = requireAgency(p);
    const purpose = q.purpose ?? 'case-coordination';
    const [own] = await withAgencyScope(this.dataSource, agency, (m) =>
      m.query<{ id: string }[]>(
        `SELECT id FROM source_record WHERE agency_id = $1 AND external_id = $2 AND status = 'active'`,
        [agency, externalId],
      ),
    );
    if (!own) throw new BrokerError('NOT_FOUND', 'no such record');
    const found = await withSystemScope(this.dataSource, async (m) => {
      const [indexed] = await this.linkage.indexed(m, [own.id]);
      if (!indexed?.personId) return null;
      const view = await this.linkage.personView(m, indexed.personId);
      const others = view!.records.filter((r) => r.agency !== agency);
      const contents = await m.query<{ id: string; record: CanonicalRecord }[]>(
        `SELECT id, record FROM source_record WHERE id = ANY($1::uuid[])`,
        [others.map((r) => r.id)],
      );
      const refs = new Map(view!.records.map((r) => [r.id, `${r.agency}/${r.externalId}`]));
      return { personId: view!.person.id, others, contents, links: view!.links, refs };
    });
    if (!found) return { personId: null, shared: [] };
    const at = new Date();
    const shared = [];
    for (const other of found.others) {
      const record = found.contents.find((c) => c.id === other.id)!.record;
      const subject = [`${other.agency}/${other.externalId}`, `${agency}/${externalId}`, found.personId];
      const decision = await this.decider.decide(
        { purpose, fromAgency: other.agency, toAgency: agency, subject, categories: categoriesOf(record), at },
        { context: 'read shared records', actor: auditActorOf(p) },
      );
      if (decision.decision !== 'allow') continue;
      const { fields, withheld } = redactRecord(record, decision.categories);
      const link = found.links.find((l) => l.a === other.id || l.b === other.id);
      await this.audit.record({
        type: 'data.disclosed',
        actor: auditActorOf(p),
        agencyId: other.agency,
        purpose,
        subjects: subject,
        decision: 'allow',
        agreement: decision.agreement,
        details: { toAgency: agency, categories: decision.categories, withheld, decisionId: decision.id },
      });
      shared.push({
        agency: other.agency,
        externalId: other.externalId,
        categories: decision.categories,
        withheld,
        fields,
        why: {
          linked: link ? explainLink(link, found.refs).explanation : 'in the same person',
          shared: `shared under agreement ${decision.agreement!.id} v${decision.agreement!.version} for ${purpose}; ${decision.reasons.join('; ')}${decision.consentRef ? `; consent ${decision.consentRef}` : ''}`,
          decisionId: decision.id,
        },
      });
    }
    return { personId: found.personId, shared };
  }
}
