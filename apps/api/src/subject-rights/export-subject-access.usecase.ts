import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { BrokerError, type CanonicalRecord, type DataCategory } from '@joinedup/core';
import { AuditSequencer } from '@joinedup/audit';
import {
  exemptCategoriesOf,
  exemptionOfDisclosure,
  redactRecord,
  releasableCategories,
  subjectAccessExemptions,
  type SubjectAccessExemption,
} from '@joinedup/governance';
import {
  AgreementRegisterRepository,
  SUBJECT_EXPORT_LIMIT,
  type AuditEventRow,
  type ResolvedSubject,
  type SubjectRef,
  SubjectRightsRepository,
  withSystemScope,
} from '@joinedup/persistence';
import { auditActorOf, AuditTrail, onBehalfOf } from '../audit/audit-trail.service.js';
import { agencyOf, type Principal } from '../auth/principal.js';

/** What was left out of an export and why: counts per kind and agreement, never the entries themselves. */
export interface Withholding {
  kind: 'record-content' | 'decision' | 'audit-event';
  agreement: { id: string; version: number };
  categories: DataCategory[];
  note: string;
  count: number;
}

const asStrings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/**
 * Resolves who a subject rights request is about and checks the caller may ask: an IG officer answers
 * for people their agency holds a record of; the platform admin for anyone. Runs in the caller's
 * system-scoped transaction.
 */
export async function resolveForCaller(
  m: EntityManager,
  repo: SubjectRightsRepository,
  principal: Principal,
  ref: SubjectRef,
): Promise<ResolvedSubject> {
  const agency = agencyOf(principal);
  if (agency !== null && 'record' in ref && ref.record.agency !== agency)
    throw new BrokerError('FORBIDDEN', "an IG officer answers requests about their own agency's records");
  const subject = await repo.resolve(m, ref);
  if (!subject || (agency !== null && !subject.records.some((r) => r.agencyId === agency)))
    throw new BrokerError('NOT_FOUND', 'no such record or person');
  return subject;
}

/**
 * Subject access (UK GDPR Art 15): everything the broker holds about one person across agencies and
 * every decision and disclosure about them, with what an agreement exempts withheld. The withholding is
 * stated in the export (per kind and agreement) and the export is audited (counts, never content), in
 * the same transaction as the reads.
 */
@Injectable()
export class ExportSubjectAccess {
  private readonly repo = new SubjectRightsRepository();
  private readonly agreements: AgreementRegisterRepository;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {
    this.agreements = new AgreementRegisterRepository(dataSource);
  }

  async execute(principal: Principal, ref: SubjectRef) {
    // Audit events still waiting to be chained (linkage does not wait) are chained first: the export lists
    // every event committed before it.
    await AuditSequencer.of(this.dataSource).flush();
    return withSystemScope(this.dataSource, async (m) => {
      const subject = await resolveForCaller(m, this.repo, principal, ref);
      const exemptions = subjectAccessExemptions(await this.agreements.latestAllIn(m));
      const ids = SubjectRightsRepository.subjectIds(subject);
      const own = new Set(ids);
      const withheld = new Map<string, Withholding>();
      const withhold = (kind: Withholding['kind'], e: SubjectAccessExemption, categories: DataCategory[]) => {
        const key = `${kind} ${e.agreement.id}`;
        const entry = withheld.get(key) ?? { kind, agreement: e.agreement, categories: [], note: e.note, count: 0 };
        entry.categories = [...new Set([...entry.categories, ...categories])].sort();
        entry.count += 1;
        withheld.set(key, entry);
      };
      // Other people named in the same event (an intake chunk names thousands) are not this subject's data.
      const onlyOwn = (subjects: string[]) => subjects.filter((s) => own.has(s));

      const records = subject.records.map((r) => {
        const base = { agency: r.agencyId, externalId: r.externalId, version: r.version, status: r.status };
        const dates = { updatedAt: r.updatedAt, ...(r.withdrawnAt ? { emptiedAt: r.withdrawnAt } : {}) };
        if (r.status === 'withdrawn' || r.status === 'erased') return { ...base, content: {}, ...dates };
        const exempt = exemptCategoriesOf(exemptions, r.agencyId);
        if (exempt.categories.length === 0) return { ...base, content: r.record, ...dates };
        const cut = redactRecord(r.record as CanonicalRecord, releasableCategories(exempt.categories));
        if (cut.withheld.length > 0) for (const e of exempt.by) withhold('record-content', e, cut.withheld);
        return { ...base, content: cut.fields, ...dates };
      });

      const decisionRows = await this.repo.decisionsAbout(m, ids);
      const decisions = [];
      for (const d of decisionRows.slice(0, SUBJECT_EXPORT_LIMIT)) {
        const agreement = d.agreementId ? { id: d.agreementId, version: d.agreementVersion ?? 0 } : null;
        const touched = [...new Set([...d.requested, ...d.permitted])];
        const exemption = exemptionOfDisclosure(exemptions, agreement, touched);
        if (exemption) {
          withhold('decision', exemption, exemption.categories);
          continue;
        }
        decisions.push({
          id: d.id,
          at: d.at,
          purpose: d.purpose,
          from: d.fromAgency,
          to: d.toAgency,
          decision: d.decision,
          requested: d.requested,
          permitted: d.permitted,
          agreement,
          consentRef: d.consentRef,
          reasons: d.reasons,
          context: d.context,
          subjects: onlyOwn(d.subjects),
        });
      }

      const eventRows = await this.repo.auditEventsAbout(m, ids);
      const events = [];
      for (const e of eventRows.slice(0, SUBJECT_EXPORT_LIMIT)) {
        const touched = ['permitted', 'withheld', 'categories', 'requested'].flatMap((k) => asStrings(e.details[k]));
        const exemption = exemptionOfDisclosure(exemptions, e.agreement, touched);
        if (exemption) {
          withhold('audit-event', exemption, exemption.categories);
          continue;
        }
        events.push(exportedEvent(e, onlyOwn(e.subjects)));
      }

      const consentRows = await this.repo.consentsAbout(m, ids);
      const consents = consentRows.slice(0, SUBJECT_EXPORT_LIMIT).map((c) => ({
        id: c.id,
        purpose: c.purpose,
        state: c.state,
        recordedBy: c.agencyId,
        scope: c.scope ?? 'every agency',
        at: c.at,
        expiresAt: c.expiresAt,
        supersedes: c.supersedes,
        subjects: onlyOwn(c.subjectIds),
      }));

      const withholdings = [...withheld.values()];
      const exported = await this.audit.append(m, {
        type: 'subject-rights.access-exported',
        actor: auditActorOf(principal),
        agencyId: agencyOf(principal),
        subjects: ids,
        details: {
          request: 'record' in ref ? 'record' : 'person',
          records: records.length,
          decisions: decisions.length,
          events: events.length,
          consents: consents.length,
          withheld: withholdings.map((w) => ({ kind: w.kind, agreement: w.agreement, count: w.count })),
          ...onBehalfOf(principal),
        },
      });
      return {
        exportId: exported.id,
        generatedAt: exported.at,
        subject: {
          personId: subject.personId,
          familyId: subject.familyId,
          personIds: subject.personIds,
          records: records.map((r) => `${r.agency}/${r.externalId}`),
          linkage: subject.linkage
            ? 'followed linkage_record -> linked_person (and merges) to every record linked to the person'
            : 'linkage tables absent: the named record only',
        },
        records,
        decisions,
        events,
        consents,
        withheld: withholdings,
        truncated: {
          decisions: decisionRows.length > SUBJECT_EXPORT_LIMIT,
          events: eventRows.length > SUBJECT_EXPORT_LIMIT,
          consents: consentRows.length > SUBJECT_EXPORT_LIMIT,
        },
      };
    });
  }
}

/** An audit event as the subject sees it: who by agency (not staff ids), and no record of past withholdings. */
function exportedEvent(e: AuditEventRow, subjects: string[]) {
  const details = { ...e.details };
  if (e.type.startsWith('subject-rights.')) delete details.withheld;
  return {
    seq: Number(e.seq),
    id: e.id,
    at: e.at,
    type: e.type,
    by: { kind: e.actor.kind, agency: e.actor.agency ?? null },
    agency: e.agencyId,
    purpose: e.purpose,
    decision: e.decision,
    agreement: e.agreement,
    subjects,
    details,
  };
}
