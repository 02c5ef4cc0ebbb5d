import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditWriter, type AuditActor } from '@joinedup/audit';
import type { Decision, DecisionRequest } from '@joinedup/governance';
import { GovernanceDecisionRepository, withSystemScope } from '@joinedup/persistence';
import { LiveGovernance } from './live-governance.js';

export interface RecordedDecision extends Decision {
  /** The governance_decision row, for "shared because ..." explanations. */
  id: string;
}

export interface DecisionContext {
  /** Which enforcement point asks: `identity-matching link`, `dry-run`, ... */
  context: string;
  actor: AuditActor;
}

const subjectsOf = (s: DecisionRequest['subject']): string[] => (typeof s === 'string' ? [s] : [...s]);

/**
 * Asks the live engine and records the answer, allow or deny, in governance_decision and the audit
 * chain in one transaction: a decision that is not recorded was never made.
 */
@Injectable()
export class GovernanceDecider {
  private readonly decisions: GovernanceDecisionRepository;
  private readonly audit = new AuditWriter();

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveGovernance,
  ) {
    this.decisions = new GovernanceDecisionRepository(dataSource);
  }

  async decide(request: DecisionRequest, ctx: DecisionContext): Promise<RecordedDecision> {
    const decision = this.live.engine.decide(request);
    // System scope: the row belongs to two agencies at once (discloser and receiver).
    const stored = await withSystemScope(this.dataSource, async (m) => {
      const row = await this.decisions.append(m, request, decision, ctx.context);
      await this.audit.append(m, {
        type: 'governance.decision',
        actor: ctx.actor,
        at: request.at,
        agencyId: request.fromAgency,
        purpose: request.purpose,
        subjects: subjectsOf(request.subject),
        decision: decision.decision,
        agreement: decision.agreement,
        details: {
          decisionId: row.id,
          context: ctx.context,
          toAgency: request.toAgency,
          permitted: decision.categories,
          withheld: decision.withheld,
          consentRef: decision.consentRef,
        },
      });
      return row;
    });
    return { ...decision, id: stored.id };
  }
}
