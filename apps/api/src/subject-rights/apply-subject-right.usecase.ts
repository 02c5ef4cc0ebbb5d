import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId } from '@joinedup/core';
import { erasureAnswer } from '@joinedup/governance';
import { LinkageService } from '@joinedup/linkage-service';
import {
  AgreementRegisterRepository,
  type SubjectRecordRow,
  type SubjectRef,
  SubjectRightsRepository,
  withSystemScope,
} from '@joinedup/persistence';
import { auditActorOf, AuditTrail, onBehalfOf } from '../audit/audit-trail.service.js';
import { agencyOf, type Principal } from '../auth/principal.js';
import { resolveForCaller } from './export-subject-access.usecase.js';

export type SubjectRight = 'erase' | 'restrict';

export interface RecordOutcome {
  record: string;
  outcome: 'erased' | 'restricted' | 'refused' | 'unchanged' | 'skipped';
  reasons: string[];
}

/** Tables that will hold coordinated cases; none exists yet, so propagation to cases is reported, not done. */
const CASE_TABLES = ['coordinated_case'];

/**
 * Erasure (UK GDPR Art 17) and restriction (Art 18) of a person's records. Erasure follows the lawful
 * basis of the agreements in force for each record's agency (refused under legal obligation or public
 * task, with the agreement named); restriction always applies. A record ref acts on that record, a
 * person id on every record linked to the person. An IG officer acts on their own agency's
 * records, the platform admin on every agency's. Records leave linkage at once (so their person and
 * family re-form without them), and the outbox tells the worker too. Audited as a fact: ids, outcomes
 * and the reason given, never content.
 */
@Injectable()
export class ApplySubjectRight {
  private readonly logger = new Logger('subject-rights');
  private readonly repo = new SubjectRightsRepository();
  private readonly agreements: AgreementRegisterRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
    private readonly linkage: LinkageService,
  ) {
    this.agreements = new AgreementRegisterRepository(dataSource);
  }

  async execute(principal: Principal, right: SubjectRight, ref: SubjectRef, reason: string) {
    const correlationId = newId();
    const agency = agencyOf(principal);
    const done = await withSystemScope(this.dataSource, async (m) => {
      const subject = await resolveForCaller(m, this.repo, principal, ref);
      const agreements = right === 'erase' ? await this.agreements.latestAllIn(m) : [];
      const outcomes: RecordOutcome[] = [];
      const apply: SubjectRecordRow[] = [];
      // A record ref asks about that record only; a person id about every record linked to them.
      const targets =
        'record' in ref
          ? subject.records.filter((r) => r.agencyId === ref.record.agency && r.externalId === ref.record.externalId)
          : subject.records;
      for (const r of targets) {
        const record = `${r.agencyId}/${r.externalId}`;
        if (agency !== null && r.agencyId !== agency) {
          outcomes.push({ record, outcome: 'skipped', reasons: [`held by ${r.agencyId}: its IG officer decides`] });
        } else if (right === 'restrict' && r.status !== 'active') {
          outcomes.push({ record, outcome: 'unchanged', reasons: [`already ${r.status}`] });
        } else if (right === 'erase' && r.status === 'erased') {
          outcomes.push({ record, outcome: 'unchanged', reasons: ['already erased'] });
        } else if (right === 'erase') {
          const answer = erasureAnswer(agreements, r.agencyId);
          if (answer.outcome === 'refused') outcomes.push({ record, outcome: 'refused', reasons: answer.reasons });
          else {
            outcomes.push({ record, outcome: 'erased', reasons: answer.reasons });
            apply.push(r);
          }
        } else {
          outcomes.push({ record, outcome: 'restricted', reasons: ['excluded from matching and disclosure'] });
          apply.push(r);
        }
      }
      const ids = apply.map((r) => r.id);
      const changed =
        right === 'erase'
          ? await this.repo.markErased(m, ids, correlationId)
          : await this.repo.markRestricted(m, ids, correlationId);
      const [cases] = await m.query<{ present: string[] }[]>(
        `SELECT coalesce(array_agg(t), '{}') AS present FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL`,
        [CASE_TABLES],
      );
      const applied = right === 'erase' ? 'erased' : 'restricted';
      const event = await this.audit.append(m, {
        type: right === 'erase' ? 'subject-rights.erasure' : 'subject-rights.restriction',
        actor: auditActorOf(principal),
        agencyId: agency,
        subjects: SubjectRightsRepository.subjectIds({ ...subject, records: targets }),
        decision: changed.length > 0 || !outcomes.some((o) => o.outcome === 'refused') ? 'allow' : 'deny',
        details: {
          reason,
          correlationId,
          outcomes: outcomes.map((o) => ({ record: o.record, outcome: o.outcome })),
          [applied]: changed.length,
          ...onBehalfOf(principal),
        },
      });
      return { subject, outcomes, changed, cases: cases?.present ?? [], auditEventId: event.id };
    });
    // After commit: take the records out of their person and family now rather than when the worker
    // gets to the outbox event (it re-links them again, which changes nothing).
    const relinked = { persons: new Set<string>(), families: new Set<string>() };
    if (done.subject.linkage) {
      for (const c of done.changed) {
        const outcome = await this.linkage.relinkRecord(c.id, correlationId);
        outcome.persons.forEach((p) => relinked.persons.add(p));
        outcome.families.forEach((f) => relinked.families.add(f));
      }
    }
    this.logger.log({ right, correlationId, changed: done.changed.length }, 'subject right applied');
    return {
      right,
      auditEventId: done.auditEventId,
      personId: done.subject.personId,
      outcomes: done.outcomes,
      propagated: {
        linkage: done.subject.linkage
          ? { relinkedPersons: [...relinked.persons].sort(), relinkedFamilies: [...relinked.families].sort() }
          : 'linkage tables absent',
        cases:
          done.cases.length > 0
            ? 'cases re-plan when the worker re-links the records'
            : 'no case tables yet: nothing to propagate',
      },
    };
  }
}
