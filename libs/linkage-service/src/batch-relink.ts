import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { CanonicalRecord } from '@joinedup/core';
import {
  assignStableIds,
  blockingKey,
  candidatePairs,
  clusterPersons,
  type ExplainedPair,
  explainedPairs,
  familyKeys,
  type Prepared,
  type TrainedModel,
} from '@joinedup/linkage';
import { type StoredLink, withSystemScope } from '@joinedup/persistence';
import { LinkageService } from './linkage-service.js';

/** What a re-link changes, before or after it is applied: counts and ids, nothing personal. */
export interface RelinkDiff {
  modelVersion: string;
  records: number;
  candidatePairs: number;
  linksFormed: number;
  linksBroken: number;
  personsMerged: number;
  personsSplit: number;
  personsCreated: number;
  familiesChanged: number;
  applied: boolean;
}

class DryRun extends Error {
  constructor(readonly diff: RelinkDiff) {
    super('dry run');
  }
}

export interface SourceRow {
  id: string;
  agency_id: string;
  record: CanonicalRecord;
  invalid_fields: string[];
}

/** A batch's scored pairs (by position in the live records, ordered by id) and how many were compared. */
export interface BatchEvidence {
  candidatePairs: number;
  pairs: ExplainedPair[];
}

/** Where a batch's scored pairs come from: scored here (`scoreHere`), or by a run's partitions (RelinkRuns). */
export type EvidenceSource = (
  rows: readonly SourceRow[],
  prepared: readonly Prepared[],
  model: TrainedModel,
  progress: (stage: string) => void,
) => Promise<BatchEvidence>;

/** Every candidate pair compared in this process. */
export const scoreHere: EvidenceSource = async (_rows, prepared, model, progress) => {
  progress('blocking');
  const { pairs } = candidatePairs(prepared, model.blocking, model.maxBlockSize);
  progress(`${pairs.length} candidate pairs; comparing`);
  return { candidatePairs: pairs.length, pairs: explainedPairs(prepared, pairs, model) };
};

export const LIVE_RECORDS_SQL = `SELECT id, agency_id, record, invalid_fields FROM source_record WHERE status = 'active'`;

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);

export interface RelinkOptions {
  /** Defaults to the published model. */
  model?: TrainedModel;
  dryRun?: boolean;
  onProgress?: (stage: string) => void;
  /** Defaults to `scoreHere`. */
  evidence?: EvidenceSource;
  /** Runs in the re-link's transaction once it is applied, before the commit (e.g. publishing its model). */
  beforeCommit?: (m: EntityManager, diff: RelinkDiff) => Promise<void>;
}

/**
 * Re-links everything from scratch with one model: the same clustering and governance gate as the
 * incremental path, over all live records at once. Human decisions are applied again, so they survive.
 * With `dryRun` it answers the diff and changes nothing (how a model or threshold change is reviewed
 * before it is published).
 */
export async function relinkAll(
  dataSource: DataSource,
  service: LinkageService,
  options: RelinkOptions = {},
): Promise<RelinkDiff> {
  const progress = options.onProgress ?? (() => undefined);
  const evidence = options.evidence ?? scoreHere;
  try {
    return await withSystemScope(dataSource, async (m) => {
      await service.repo.lock(m);
      const model = options.model ?? (await service.refreshModel(m));
      const rows = await m.query<SourceRow[]>(`${LIVE_RECORDS_SQL} ORDER BY id`);
      progress(`${rows.length} live records`);
      const prepared = rows.map((r) => LinkageService.prepare(r));
      const position = new Map(rows.map((r, i) => [r.id, i]));
      const human = (await service.repo.allDecisions(m))
        .filter((d) => position.has(d.a) && position.has(d.b))
        .map((d) => ({ a: position.get(d.a)!, b: position.get(d.b)!, decision: d.decision }));
      const scoredPairs = await evidence(rows, prepared, model, progress);
      const scored = scoredPairs.pairs;

      // Links: the scored pairs at or above review, explained, with the governance answer recorded.
      const oldLinks = new Set(
        (
          await m.query<{ a: string; b: string }[]>(
            `SELECT a, b FROM linkage_link WHERE probability >= $1 AND governance <> 'denied'`,
            [model.thresholds.link],
          )
        ).map((l) => pairKey(l.a, l.b)),
      );
      await m.query(`DELETE FROM linkage_link`);
      progress(`governance gate for ${scored.length} scored pairs`);
      const cross = scored.filter((s) => rows[s.a]!.agency_id !== rows[s.b]!.agency_id);
      const gate = await service.identityMatchingMany(
        m,
        cross.map((s) => ({
          x: rows[s.a]!.agency_id,
          y: rows[s.b]!.agency_id,
          subject: [prepared[s.a]!.id, prepared[s.b]!.id],
        })),
      );
      const denied = new Set(cross.filter((_, i) => !gate[i]).map((s) => `${s.a}|${s.b}`));
      const links: StoredLink[] = scored.map((s) => {
        const [x, y] = [rows[s.a]!, rows[s.b]!];
        const governance =
          x.agency_id === y.agency_id ? 'same-agency' : denied.has(`${s.a}|${s.b}`) ? 'denied' : 'allowed';
        const [a, b] = x.id < y.id ? [x.id, y.id] : [y.id, x.id];
        return {
          a,
          b,
          probability: s.probability,
          decision: s.probability >= model.thresholds.link ? 'link' : 'review',
          governance,
          comparisons: s.comparisons.map((c) => ({ ...c })),
          modelVersion: model.version,
        };
      });
      progress('clustering');
      const personOf = clusterPersons(
        rows.length,
        scored.filter((s) => !denied.has(`${s.a}|${s.b}`)),
        model.thresholds,
        human,
      );
      // The gate refused pairs before clustering; keep them stored (denied) so reviewers see why.
      const newLinks = new Set(
        links
          .filter((l) => l.probability >= model.thresholds.link && l.governance !== 'denied')
          .map((l) => pairKey(l.a, l.b)),
      );
      progress(`writing ${rows.length} index rows and ${links.length} links`);
      await m.query(
        `DELETE FROM linkage_record r WHERE NOT EXISTS
           (SELECT 1 FROM source_record s WHERE s.id = r.source_record_id AND s.status = 'active')`,
      );
      for (let start = 0; start < rows.length; start += 2000) {
        const slice = rows.slice(start, start + 2000);
        await service.repo.upsertMany(
          m,
          slice.map((row, j) => {
            const features = prepared[start + j]!;
            return {
              sourceRecordId: row.id,
              agencyId: row.agency_id,
              features,
              blockingKeys: model.blocking.map((rule) => blockingKey(rule, features)).filter(Boolean),
              familyKeys: familyKeys(features),
            };
          }),
        );
      }
      await service.repo.recountBlocks(m);
      for (let i = 0; i < links.length; i += 1000) {
        const chunk = links.slice(i, i + 1000);
        await m.query(
          `INSERT INTO linkage_link (a, b, probability, decision, governance, comparisons, model_version)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::float8[], $4::text[], $5::text[], $6::jsonb[], $7::text[])`,
          [
            chunk.map((l) => l.a),
            chunk.map((l) => l.b),
            chunk.map((l) => l.probability),
            chunk.map((l) => l.decision),
            chunk.map((l) => l.governance),
            chunk.map((l) => JSON.stringify(l.comparisons)),
            chunk.map((l) => l.modelVersion),
          ],
        );
      }

      progress('persons: stable ids');
      // Persons: stable ids against what each record belonged to before.
      const clusters: string[][] = [];
      personOf.forEach((c, i) => (clusters[c] ??= []).push(rows[i]!.id));
      const before = await m.query<{ id: string; person: string | null; family: string | null }[]>(
        `SELECT r.source_record_id AS id, r.person_id AS person, p.family_id AS family
         FROM linkage_record r LEFT JOIN linked_person p ON p.id = r.person_id`,
      );
      const previous = new Map(before.filter((r) => r.person).map((r) => [r.id, r.person!]));
      const oldPersons = [...new Set(previous.values())];
      const ages = await service.repo.ages(m, 'linked_person', oldPersons);
      const answer = assignStableIds(clusters, previous, (id) => ages.get(id) ?? Infinity, randomUUID);
      const assignments = new Map<string, string>();
      clusters.forEach((members, c) => members.forEach((id) => assignments.set(id, answer.ids[c]!)));
      await service.repo.setPersons(m, assignments);
      for (const merge of answer.merges) {
        await service.repo.retirePersons(m, merge.from, merge.into);
        await service.repo.logChange(m, 'person.merged', [merge.into, ...merge.from], {
          into: merge.into,
          batch: true,
        });
      }
      for (const split of answer.splits)
        await service.repo.logChange(m, 'person.split', [split.from, ...split.into], { from: split.from, batch: true });
      await service.repo.retirePersons(m, oldPersons, null);
      progress('families');
      const familiesBefore = familyMembership(before);
      const keysOf = new Map<string, string[]>();
      rows.forEach((row, i) => {
        const person = assignments.get(row.id)!;
        const keys = keysOf.get(person) ?? [];
        for (const key of familyKeys(prepared[i]!)) if (!keys.includes(key)) keys.push(key);
        keysOf.set(person, keys);
      });
      const families = await service.refamily(m, [...keysOf.keys()], keysOf);
      const after = await m.query<{ id: string; person: string | null; family: string | null }[]>(
        `SELECT r.source_record_id AS id, r.person_id AS person, p.family_id AS family
         FROM linkage_record r LEFT JOIN linked_person p ON p.id = r.person_id`,
      );
      const familiesAfter = familyMembership(after);
      const changed = [...new Set([...familiesBefore.keys(), ...familiesAfter.keys()])].filter(
        (f) => familiesBefore.get(f) !== familiesAfter.get(f),
      );
      const diff: RelinkDiff = {
        modelVersion: model.version,
        records: rows.length,
        candidatePairs: scoredPairs.candidatePairs,
        linksFormed: [...newLinks].filter((k) => !oldLinks.has(k)).length,
        linksBroken: [...oldLinks].filter((k) => !newLinks.has(k)).length,
        personsMerged: answer.merges.reduce((s, x) => s + x.from.length, 0),
        personsSplit: answer.splits.length,
        personsCreated: answer.created.length,
        familiesChanged: changed.length,
        applied: !options.dryRun,
      };
      if (options.dryRun) throw new DryRun(diff);
      await options.beforeCommit?.(m, diff);
      await service.repo.announceFamilies(
        m,
        changed.filter((f) => families.includes(f)),
        `relink-${model.version}`,
      );
      return diff;
    });
  } catch (error) {
    if (error instanceof DryRun) return error.diff;
    throw error;
  }
}

/** family id -> its records, sorted and joined: equal strings mean an unchanged family. */
function familyMembership(rows: { id: string; family: string | null }[]): Map<string, string> {
  const members = new Map<string, string[]>();
  for (const r of rows) if (r.family) (members.get(r.family) ?? members.set(r.family, []).get(r.family)!).push(r.id);
  return new Map([...members].map(([f, ids]) => [f, ids.sort().join(',')]));
}
