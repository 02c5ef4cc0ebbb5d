import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { type AuditEventInput, AuditWriter } from '@joinedup/audit';
import { BrokerError, type CanonicalRecord } from '@joinedup/core';
import type { LiveGovernance } from '@joinedup/enforcement';
import type { Decision, DecisionRequest } from '@joinedup/governance';
import {
  assignStableIds,
  blockingKey,
  clusterPersons,
  familiesByKeys,
  familyKeys,
  fromCanonical,
  pairLevels,
  prepareRecord,
  scoreLevels,
  type Prepared,
  type StableIdAnswer,
  type StoredFeatures,
  toStored,
  fromStored,
  type TrainedModel,
} from '@joinedup/linkage';
import {
  GovernanceDecisionRepository,
  type IndexedRecord,
  type IndexRow,
  type LinkageChangeRow,
  LinkageRepository,
  LINKAGE_LOCK,
  type StoredLink,
  withSystemScope,
} from '@joinedup/persistence';
import { type BatchGate, decideBatchGate, type GatePair } from './batch-gate.js';
import { changesOf } from './batch-placement.js';
import { ModelVersions } from './model-versions.js';

/** A record's index row as written, with each blocking key's cap for finding candidates. */
interface Indexed extends IndexRow {
  features: StoredFeatures;
  prepared: Prepared;
  keyed: { key: string; limit: number }[];
}

/** A scored link; a cross-agency one carries the gate's question and stays denied until it is answered. */
interface PendingLink {
  link: StoredLink;
  ask: { x: string; y: string; subject: string[] } | null;
}

interface SourceRow {
  id: string;
  agency_id: string;
  record: CanonicalRecord;
  status: 'active' | 'withdrawn' | 'restricted' | 'erased';
  invalid_fields: string[];
}

/** What a relink changed, ids only (for logs, tests and the admin API). */
export interface RelinkOutcome {
  persons: string[];
  families: string[];
  merged: number;
  split: number;
}

/** A re-clustering's outcome, with each record's person and each person's family after it. */
interface Reclustered {
  outcome: RelinkOutcome;
  personOf: ReadonlyMap<string, string>;
  familyOf: ReadonlyMap<string, string>;
}

const SYSTEM_ACTOR = { kind: 'system' as const, id: 'linkage' };
/**
 * A change's gate events are committed with it; chaining them is started at commit but not waited for:
 * the worker reads no audit after linking, and the wait (a second transaction) was a third of a link.
 */
const CHAIN_SOON = { waitForChain: false };

/**
 * Linkage on what agencies send: each change re-links one record against the stored population through
 * the persistent blocking index, then re-clusters only the component it touches, so persons and
 * families keep their ids. The same clustering runs over everything in a batch re-link (see
 * BatchRelink), which is why both give the same answer.
 */
export class LinkageService {
  readonly repo = new LinkageRepository();
  private readonly decisions: GovernanceDecisionRepository;
  private readonly audit = new AuditWriter();
  readonly versions: ModelVersions;
  private current: TrainedModel;

  /** `fileModel` applies until a model version is published (see ModelVersions). */
  constructor(
    private readonly dataSource: DataSource,
    fileModel: TrainedModel,
    private readonly governance: Pick<LiveGovernance, 'engine'>,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.decisions = new GovernanceDecisionRepository(dataSource);
    this.versions = new ModelVersions(fileModel);
    this.current = fileModel;
  }

  /** The model the last linkage transaction used: the published version when it took the lock. */
  get model(): TrainedModel {
    return this.current;
  }

  /**
   * The linkage lock, then the published model: a batch that publishes a version does so under the same
   * lock, so no change is scored with a model that a committed re-link has replaced.
   */
  private async lock(m: EntityManager): Promise<void> {
    await this.repo.lock(m);
    await this.refreshModel(m);
  }

  /** Reads the published version (one indexed row) and loads its model only when it changed. */
  async refreshModel(db: Pick<EntityManager, 'query'> = this.dataSource.manager): Promise<TrainedModel> {
    return this.useVersion(db, await this.versions.publishedVersion(db));
  }

  /** The published version's model (`null`: the file model), loaded only when it is not the current one. */
  private async useVersion(db: Pick<EntityManager, 'query'>, version: string | null): Promise<TrainedModel> {
    const wanted = version ?? this.versions.fileVersion;
    if (wanted !== this.current.version) this.current = await this.versions.model(db, version);
    return this.current;
  }

  /** Prepared features of one source record; its id is the agency's reference (`agency/externalId`). */
  static prepare(row: Pick<SourceRow, 'agency_id' | 'record' | 'invalid_fields'>): Prepared {
    return prepareRecord(fromCanonical(row.agency_id, row.record, row.invalid_fields));
  }

  async relinkRecord(recordId: string, correlationId: string): Promise<RelinkOutcome> {
    return this.relinkRecords([{ recordId, correlationId }]);
  }

  /**
   * Re-links changed records in one transaction (the worker groups what arrived while the last group
   * ran): each record is indexed and scored against the stored population in turn, the cross-agency
   * pairs go through the governance gate together (one statement for their decisions, one append for
   * their audit events), and the union of their components is re-clustered once. The result is the
   * one the records would give linked one by one, since clustering depends only on the final links.
   */
  async relinkRecords(changes: readonly { recordId: string; correlationId: string }[]): Promise<RelinkOutcome> {
    const correlationOf = new Map<string, string>();
    for (const c of changes) if (!correlationOf.has(c.recordId)) correlationOf.set(c.recordId, c.correlationId);
    const ids = [...correlationOf.keys()];
    if (ids.length === 0) return { persons: [], families: [], merged: 0, split: 0 };
    return withSystemScope(
      this.dataSource,
      async (m) => {
        const changed = await this.repo.changedRecords(m, ids);
        await this.useVersion(m, changed[0]!.published);
        const sources = new Map<string, SourceRow>();
        for (const c of changed) if (c.agency_id !== null) sources.set(c.id, c as SourceRow);
        const before = new Map(changed.filter((c) => c.indexed).map((c) => [c.id, c.personId]));
        const beforePersons = [...new Set(changed.flatMap((c) => (c.personId ? [c.personId] : [])))];
        const seeds = new Set<string>(changed.flatMap((c) => c.members));
        const live: Indexed[] = [];
        for (const id of ids) {
          const source = sources.get(id);
          if (!source || source.status !== 'active') {
            // A withdrawn, restricted or erased record leaves its person and family at once: its links go with it.
            if (before.has(id)) await this.repo.remove(m, id);
            seeds.delete(id);
          } else {
            seeds.add(id);
            live.push(this.indexRow(source));
          }
        }
        await this.repo.upsertGroup(m, live);
        const position = new Map(live.map((r, i) => [r.sourceRecordId, i]));
        const scored: PendingLink[] = [];
        // Every record's candidates in one statement, after the group's index rows are in (as one by one).
        const found = await this.repo.candidatesOfGroup(
          m,
          live.map((r) => ({ id: r.sourceRecordId, keys: r.keyed })),
        );
        for (const [i, row] of live.entries()) {
          const self = { id: row.sourceRecordId, agency: row.agencyId, prepared: row.prepared };
          for (const other of found[i]!) {
            // A pair inside the group is scored once, from its later record, as one record at a time would.
            if ((position.get(other.sourceRecordId) ?? -1) >= i) continue;
            const link = this.score(self, other);
            if (link) scored.push(link);
          }
        }
        // The gate's audit events are recorded together, in one statement at the end.
        const audits: AuditEventInput[] = [];
        await this.gateAndStore(
          m,
          // Only a record indexed before can have links to replace.
          live.map((r) => r.sourceRecordId).filter((id) => before.has(id)),
          scored,
          'identity-matching link',
          audits,
        );
        if (seeds.size === 0 && beforePersons.length === 0) {
          await this.audit.appendMany(m, audits, CHAIN_SOON);
          return { persons: [], families: [], merged: 0, split: 0 };
        }
        const placed = await this.recluster(m, [...seeds], beforePersons);
        const outcome = placed.outcome;
        // Each record's family hears of it even when no one joined or left: its involvement or needs may
        // have changed, and coordination decides whether that matters.
        const personsOf = new Map<string, string[]>(ids.map((id) => [id, []]));
        for (const [id, person] of before) if (person) personsOf.get(id)!.push(person);
        for (const id of ids) {
          const person = placed.personOf.get(id);
          if (person) personsOf.get(id)!.push(person);
        }
        const announced = new Map<string, string>();
        for (const [id, persons] of personsOf)
          for (const person of persons) {
            const family = placed.familyOf.get(person);
            if (family && !announced.has(family)) announced.set(family, correlationOf.get(id)!);
          }
        for (const family of outcome.families)
          if (!announced.has(family)) announced.set(family, changes[0]!.correlationId);
        await this.repo.announceEach(
          m,
          [...announced].map(([familyId, correlationId]) => ({ familyId, correlationId })),
        );
        await this.audit.appendMany(m, audits, CHAIN_SOON);
        return outcome;
      },
      { lock: LINKAGE_LOCK },
    );
  }

  /**
   * A person's decision on a pair (must-link / cannot-link): stored, audited, and applied at once by
   * re-clustering the component of both records. It overrides the model from now on, in every re-link.
   */
  async recordDecision(
    pair: { a: string; b: string },
    decision: 'must-link' | 'cannot-link',
    by: { id: string; agency?: string },
    reason: string | null,
    correlationId: string,
  ): Promise<RelinkOutcome> {
    const [a, b] = pair.a < pair.b ? [pair.a, pair.b] : [pair.b, pair.a];
    return withSystemScope(this.dataSource, async (m) => {
      await this.lock(m);
      const indexed = await this.repo.indexed(m, [a, b]);
      if (indexed.length !== 2) throw new BrokerError('NOT_FOUND', 'both records must be live and linked');
      await m.query(`INSERT INTO linkage_decision (a, b, decision, decided_by, reason) VALUES ($1, $2, $3, $4, $5)`, [
        a,
        b,
        decision,
        by.id,
        reason,
      ]);
      await this.audit.append(m, {
        type: 'linkage.decided',
        actor: { kind: 'person', id: by.id, ...(by.agency ? { agency: by.agency } : {}) },
        at: this.now(),
        subjects: [a, b],
        details: { decision },
      });
      const persons = indexed.map((r) => r.personId).filter((p): p is string => p !== null);
      const seeds = new Set([a, b, ...(await this.repo.members(m, persons))]);
      const { outcome } = await this.recluster(m, [...seeds], persons);
      await this.repo.announceFamilies(m, outcome.families, correlationId);
      return outcome;
    });
  }

  /**
   * The gate for a group of changed records' cross-agency pairs: each direction decided, every answer
   * stored in governance_decision and the audit chain with one statement per thousand pairs. (A batch
   * re-link records its answers grouped instead: decideBatch, recordBatchGate.)
   */
  async identityMatchingMany(
    m: EntityManager,
    pairs: readonly { x: string; y: string; subject: string[] }[],
    context: string,
    deferred?: AuditEventInput[],
  ): Promise<boolean[]> {
    const at = this.now();
    const answers: boolean[] = [];
    for (let start = 0; start < pairs.length; start += 1000) {
      const chunk = pairs.slice(start, start + 1000);
      const rows = chunk.flatMap(({ x, y, subject }) =>
        [
          [x, y],
          [y, x],
        ].map(([fromAgency, toAgency]) => {
          const request = {
            purpose: 'identity-matching',
            fromAgency: fromAgency!,
            toAgency: toAgency!,
            subject,
            categories: ['identity'] as const,
            at,
          };
          return { request, decision: this.governance.engine.decide(request) };
        }),
      );
      const stored = await this.decisions.appendMany(m, at, rows, context);
      const events = rows.map(({ request, decision }, i) => decisionEvent(request, decision, stored[i]!, context));
      if (deferred) deferred.push(...events);
      else await this.audit.appendMany(m, events);
      for (let i = 0; i < chunk.length; i += 1)
        answers.push(rows[2 * i]!.decision.decision === 'allow' && rows[2 * i + 1]!.decision.decision === 'allow');
    }
    return answers;
  }

  /** The gate for a batch re-link's pairs, decided in memory (see decideBatchGate); nothing recorded yet. */
  decideBatch(pairs: readonly GatePair[]): BatchGate {
    return decideBatchGate(this.governance.engine, pairs, this.now());
  }

  /** Records a batch gate's answers: one decision row and one audit event per group. */
  async recordBatchGate(m: EntityManager, gate: BatchGate, context = 'identity-matching link (batch)'): Promise<void> {
    for (let start = 0; start < gate.groups.length; start += 200) {
      const chunk = gate.groups.slice(start, start + 200);
      const at = chunk[0]!.request.at;
      const ids = await this.decisions.appendMany(m, at, chunk, context);
      await this.audit.appendMany(
        m,
        chunk.map(({ request, decision, pairs }, i) => decisionEvent(request, decision, ids[i]!, context, { pairs })),
        // Committed with the links (nothing can be lost) and chained once committed, without the re-link
        // waiting: a batch's decisions name every record they cover (megabytes to chain at a million).
        CHAIN_SOON,
      );
    }
  }

  /**
   * Re-asks the governance gate for every cross-agency link after agreements or consent changed:
   * links whose answer flipped are updated (and the new answers recorded), and their components are
   * re-clustered, so a withdrawal undoes the links that relied on it and an activation forms new ones.
   */
  async regovern(correlationId: string): Promise<RelinkOutcome & { flipped: number }> {
    return withSystemScope(this.dataSource, async (m) => {
      await this.lock(m);
      const links = await m.query<
        { a: string; b: string; governance: string; agencyA: string; agencyB: string; refA: string; refB: string }[]
      >(
        `SELECT l.a, l.b, l.governance, ra.agency_id AS "agencyA", rb.agency_id AS "agencyB",
                ra.features->>0 AS "refA", rb.features->>0 AS "refB"
         FROM linkage_link l
         JOIN linkage_record ra ON ra.source_record_id = l.a
         JOIN linkage_record rb ON rb.source_record_id = l.b
         WHERE l.governance <> 'same-agency'`,
      );
      const flipped = links.filter(
        (l) => (this.gate(l.agencyA, l.agencyB, [l.refA, l.refB]) ? 'allowed' : 'denied') !== l.governance,
      );
      const seeds = new Set<string>();
      for (const l of flipped) {
        const allowed = await this.identityMatchingAllowed(m, l.agencyA, l.agencyB, [l.refA, l.refB]);
        await m.query(`UPDATE linkage_link SET governance = $3, updated_at = now() WHERE a = $1 AND b = $2`, [
          l.a,
          l.b,
          allowed ? 'allowed' : 'denied',
        ]);
        seeds.add(l.a).add(l.b);
      }
      if (seeds.size === 0) return { persons: [], families: [], merged: 0, split: 0, flipped: 0 };
      const persons = (await this.repo.indexed(m, [...seeds]))
        .map((r) => r.personId)
        .filter((p): p is string => p !== null);
      for (const id of await this.repo.members(m, persons)) seeds.add(id);
      const { outcome } = await this.recluster(m, [...seeds], persons);
      await this.repo.announceFamilies(m, outcome.families, correlationId);
      return { ...outcome, flipped: flipped.length };
    });
  }

  /** A record's index row: its prepared features, blocking keys (with each rule's cap) and family keys. */
  private indexRow(source: SourceRow): Indexed {
    const prepared = LinkageService.prepare(source);
    const keyed = this.model.blocking
      .map((rule) => ({ key: blockingKey(rule, prepared), limit: rule.maxBlockSize ?? this.model.maxBlockSize }))
      .filter((k) => k.key);
    return {
      sourceRecordId: source.id,
      agencyId: source.agency_id,
      features: toStored(prepared),
      prepared,
      blockingKeys: keyed.map((k) => k.key),
      familyKeys: familyKeys(prepared),
      keyed,
    };
  }

  /**
   * Asks the gate for every cross-agency pair of the scored records at once (decisions and audit events
   * recorded), then replaces the links of the group's records with the scored ones (`ids`: the records
   * whose old links go; a record never indexed has none).
   */
  private async gateAndStore(
    m: EntityManager,
    ids: readonly string[],
    scored: readonly PendingLink[],
    context: string,
    deferred: AuditEventInput[],
  ): Promise<void> {
    const asks = scored.filter((l) => l.ask !== null);
    const answers = await this.identityMatchingMany(
      m,
      asks.map((l) => l.ask!),
      context,
      deferred,
    );
    asks.forEach((l, i) => (l.link.governance = answers[i] ? 'allowed' : 'denied'));
    await this.repo.replaceLinksOf(
      m,
      ids,
      scored.map((l) => l.link),
    );
  }

  /** Scores one pair; at or above review it is kept, with the gate's question for a cross-agency pair. */
  private score(
    self: { id: string; agency: string; prepared: Prepared },
    other: Pick<IndexedRecord, 'sourceRecordId' | 'agencyId' | 'features'>,
  ): PendingLink | null {
    const theirs = fromStored(other.features as StoredFeatures);
    const score = scoreLevels(self.prepared, pairLevels(self.prepared, theirs, this.model.comparisons), this.model);
    if (score.probability < this.model.thresholds.review) return null;
    const [a, b] = self.id < other.sourceRecordId ? [self.id, other.sourceRecordId] : [other.sourceRecordId, self.id];
    const crossAgency = self.agency !== other.agencyId;
    return {
      link: {
        a,
        b,
        probability: score.probability,
        decision: score.probability >= this.model.thresholds.link ? 'link' : 'review',
        governance: crossAgency ? 'denied' : 'same-agency',
        comparisons: score.comparisons.map((c) => ({ ...c })),
        modelVersion: this.model.version,
      },
      ask: crossAgency ? { x: self.agency, y: other.agencyId, subject: [self.prepared.id, theirs.id] } : null,
    };
  }

  /**
   * Human decisions as clustering may use them: a must-link across agencies joins two agencies' records
   * into one person, so it needs the identity-matching gate as a model link does (cannot-link always
   * applies: it only keeps records apart).
   */
  governedDecisions<D extends { a: number; b: number; decision: 'must-link' | 'cannot-link' }>(
    /** The agency and reference of the record at a position (a batch holds a million: asked, not listed). */
    recordAt: (position: number) => { agency: string; ref: string },
    decisions: readonly D[],
  ): D[] {
    return decisions.filter((d) => {
      const [x, y] = [recordAt(d.a), recordAt(d.b)];
      return d.decision === 'cannot-link' || x.agency === y.agency || this.gate(x.agency, y.agency, [x.ref, y.ref]);
    });
  }

  /** The gate's answer without recording it (batch clustering asks first, then records the links it keeps). */
  readonly gate = (x: string, y: string, subject: string[]): boolean =>
    [
      [x, y],
      [y, x],
    ].every(
      ([fromAgency, toAgency]) =>
        this.governance.engine.decide({
          purpose: 'identity-matching',
          fromAgency: fromAgency!,
          toAgency: toAgency!,
          subject,
          categories: ['identity'],
          at: this.now(),
        }).decision === 'allow',
    );

  /**
   * The governance gate: a link across agencies needs identity-matching allowed both ways (each agency
   * learns the other knows the person). Each answer is recorded and audited.
   */
  async identityMatchingAllowed(m: EntityManager, x: string, y: string, subject: string[]): Promise<boolean> {
    let allowed = true;
    for (const [fromAgency, toAgency] of [
      [x, y],
      [y, x],
    ] as const) {
      const request = {
        purpose: 'identity-matching',
        fromAgency,
        toAgency,
        subject,
        categories: ['identity'] as const,
        at: this.now(),
      };
      const decision = this.governance.engine.decide(request);
      const row = await this.decisions.append(m, request, decision, 'identity-matching link');
      await this.audit.append(m, decisionEvent(request, decision, row.id, 'identity-matching link'));
      if (decision.decision !== 'allow') allowed = false;
    }
    return allowed;
  }

  /**
   * Re-clusters the records joined to `seeds` and gives the resulting persons stable ids, then does the
   * same for the families those persons belong to. Answers the outcome, and where each record and
   * person now sits (so callers need not read it back).
   */
  async recluster(m: EntityManager, seeds: string[], alsoPersons: string[]): Promise<Reclustered> {
    const input = await this.repo.clusterInput(m, seeds, this.model.thresholds.link);
    const records = input.places;
    const index = new Map(records.map((r, i) => [r.sourceRecordId, i]));
    const links = input.links
      .filter((l) => l.governance !== 'denied')
      .map((l) => ({ a: index.get(l.a)!, b: index.get(l.b)!, probability: l.probability }));
    const decisions = this.governedDecisions(
      (i) => ({ agency: records[i]!.agencyId, ref: records[i]!.ref }),
      // A decision on a record no longer indexed (withdrawn) has nothing to join or keep apart.
      input.decisions
        .filter((d) => index.has(d.a) && index.has(d.b))
        .map((d) => ({ a: index.get(d.a)!, b: index.get(d.b)!, decision: d.decision })),
    );
    const personOf = clusterPersons(records.length, links, this.model.thresholds, decisions);
    const clusters: string[][] = [];
    personOf.forEach((c, i) => (clusters[c] ??= []).push(records[i]!.sourceRecordId));
    const previous = new Map(records.filter((r) => r.personId).map((r) => [r.sourceRecordId, r.personId!]));
    const oldPersons = [...new Set([...previous.values(), ...alsoPersons])];
    const answer = assignStableIds(clusters, previous, await this.agesOf(m, 'linked_person', oldPersons), randomUUID);
    const assignments = new Map<string, string>();
    clusters.forEach((members, c) => members.forEach((id) => assignments.set(id, answer.ids[c]!)));
    await this.repo.setPersons(m, assignments);
    for (const merge of answer.merges) await this.repo.retirePersons(m, merge.from, merge.into);
    await this.repo.retirePersons(m, unused(oldPersons, answer), null);
    const families = await this.refamily(m, [...new Set([...answer.ids, ...oldPersons])]);
    // The change log in one statement, persons' changes first.
    await this.repo.logChanges(m, [...changesOf('person', answer), ...families.changes]);
    return {
      outcome: {
        persons: answer.ids,
        families: families.ids,
        merged: answer.merges.length,
        split: answer.splits.length,
      },
      personOf: assignments,
      familyOf: families.familyOf,
    };
  }

  /**
   * Families of the persons tied to `persons` by household references or a shared property: their ids
   * (new and old), each person's family, and the change log rows (written by the caller).
   */
  private async refamily(
    m: EntityManager,
    persons: string[],
  ): Promise<{ ids: string[]; familyOf: Map<string, string>; changes: LinkageChangeRow[] }> {
    const found = await this.repo.familyComponent(m, persons);
    const grouped = familiesByKeys(new Map([...found].map(([person, f]) => [person, f.keys])));
    const clusters = grouped.map((f) => f.persons);
    const previous = new Map<string, string>();
    for (const [person, f] of found) if (f.family !== null) previous.set(person, f.family);
    const oldFamilies = [...new Set(previous.values())];
    const answer = assignStableIds(clusters, previous, await this.agesOf(m, 'family', oldFamilies), randomUUID);
    await this.repo.setFamilies(
      m,
      clusters.map((persons, c) => ({
        id: answer.ids[c]!,
        persons,
        reasons: grouped[c]!.reasons,
      })),
    );
    for (const merge of answer.merges) await this.repo.retireFamilies(m, merge.from, merge.into);
    await this.repo.retireFamilies(m, unused(oldFamilies, answer), null);
    const familyOf = new Map<string, string>();
    clusters.forEach((members, c) => members.forEach((person) => familyOf.set(person, answer.ids[c]!)));
    return { ids: [...new Set([...answer.ids, ...oldFamilies])], familyOf, changes: changesOf('family', answer) };
  }

  /**
   * "A merge keeps the older id": creation order of the old ids, read only when there is a choice (most
   * changes touch one person and one family, so this saves a statement).
   */
  private async agesOf(
    m: EntityManager,
    table: 'linked_person' | 'family',
    ids: readonly string[],
  ): Promise<(id: string) => number> {
    if (ids.length <= 1) return () => 0;
    const ages = await this.repo.ages(m, table, ids);
    return (id) => ages.get(id) ?? Infinity;
  }
}

/** Old ids the answer no longer uses and did not merge away (those were retired as merged). */
function unused(old: readonly string[], answer: StableIdAnswer): string[] {
  const kept = new Set([...answer.ids, ...answer.merges.flatMap((merge) => merge.from)]);
  return old.filter((id) => !kept.has(id));
}

/** The audit event of a recorded governance decision (the linkage gate's, as the system). */
function decisionEvent(
  request: DecisionRequest,
  decision: Decision,
  decisionId: string,
  context: string,
  extra: Record<string, unknown> = {},
): AuditEventInput {
  return {
    type: 'governance.decision',
    actor: SYSTEM_ACTOR,
    at: request.at,
    agencyId: request.fromAgency,
    purpose: request.purpose,
    subjects: typeof request.subject === 'string' ? [request.subject] : [...request.subject],
    decision: decision.decision,
    agreement: decision.agreement,
    details: { decisionId, context, toAgency: request.toAgency, ...extra },
  };
}
