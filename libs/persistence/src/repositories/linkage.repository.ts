import type { EntityManager } from 'typeorm';
import type { CanonicalRecord } from '@joinedup/core';
import { preparedRows } from '../scope.js';
import { announceInBatches } from './outbox-batches.js';

/** The advisory lock that serialises linkage changes (see LinkageRepository.lock). */
export const LINKAGE_LOCK = 'joinedup.linkage';

/** A changed record as linking it starts (see LinkageRepository.changedRecords). */
export interface RecordToLink {
  id: string;
  /** Null when the source record is gone (erased); then so are the next three. */
  agency_id: string | null;
  record: CanonicalRecord | null;
  status: 'active' | 'withdrawn' | 'restricted' | 'erased' | null;
  invalid_fields: string[] | null;
  indexed: boolean;
  personId: string | null;
  /** Every record of its person, itself included. */
  members: string[];
  /** The published model version, the same on every row. */
  published: string | null;
}

/** One row of the persistent blocking index, as linkage reads it back. */
export interface IndexedRecord {
  sourceRecordId: string;
  agencyId: string;
  personId: string | null;
  /** The linkage engine's StoredFeatures (a positional array; see libs/linkage stored-features). */
  features: unknown[];
  familyKeys: string[];
}

/** Where an indexed record sits, without its features: its agency reference is `ref`. */
export interface RecordPlace {
  sourceRecordId: string;
  agencyId: string;
  personId: string | null;
  ref: string;
}

export interface StoredLink {
  a: string;
  b: string;
  probability: number;
  decision: 'link' | 'review';
  governance: 'same-agency' | 'allowed' | 'denied';
  comparisons: Record<string, unknown>[];
  /** `comparisons` as JSON text, when the caller has it already (a batch shares one per level row). */
  comparisonsJson?: string;
  modelVersion: string;
}

/** What re-clustering a component needs (see LinkageRepository.clusterInput). */
export interface ClusterInput {
  places: RecordPlace[];
  links: Pick<StoredLink, 'a' | 'b' | 'probability' | 'governance'>[];
  decisions: HumanLinkDecision[];
}

type RecordPlaceRow = [string, string, string | null, string];
type LinkRow = [string, string, number, StoredLink['governance']];
type DecisionRow = [string, string, HumanLinkDecision['decision']];

/**
 * The walk of LinkageRepository.clusterInput: a recursive union (each record once, so cycles end) that
 * stops at `$3` records, then the component's rows as JSON arrays, one column each.
 */
const CLUSTER_INPUT_SQL = `WITH RECURSIVE walk(id) AS (
    SELECT unnest($1::uuid[])
    UNION
    SELECT x.other FROM walk w CROSS JOIN LATERAL (
      SELECT b AS other FROM linkage_link WHERE a = w.id AND probability >= $2 AND governance <> 'denied'
      UNION ALL SELECT a FROM linkage_link WHERE b = w.id AND probability >= $2 AND governance <> 'denied'
      UNION ALL SELECT b FROM linkage_decision WHERE a = w.id AND decision = 'must-link'
      UNION ALL SELECT a FROM linkage_decision WHERE b = w.id AND decision = 'must-link') x),
  component AS MATERIALIZED (SELECT ARRAY(SELECT id FROM walk LIMIT $3) AS ids)
  SELECT
    (SELECT json_agg(json_build_array(r.source_record_id, r.agency_id, r.person_id, r.features->>0))
     FROM linkage_record r, component c WHERE r.source_record_id = ANY(c.ids)) AS places,
    (SELECT json_agg(json_build_array(l.a, l.b, l.probability, l.governance))
     FROM linkage_link l, component c WHERE l.a = ANY(c.ids) AND l.b = ANY(c.ids)) AS links,
    (SELECT json_agg(json_build_array(d.a, d.b, d.decision)) FROM (
       SELECT DISTINCT ON (a, b) a, b, decision FROM linkage_decision, component c
       WHERE a = ANY(c.ids) AND b = ANY(c.ids) ORDER BY a, b, created_at DESC) d) AS decisions`;

export interface LinkageChangeRow {
  kind: string;
  ids: string[];
  details: Record<string, unknown>;
}

export interface HumanLinkDecision {
  a: string;
  b: string;
  decision: 'must-link' | 'cannot-link';
}

/**
 * SQL of the linkage service: the blocking index, links, decisions, persons and families. Every call
 * takes the caller's manager, in the system scope (these tables are visible to nothing else).
 */
export class LinkageRepository {
  async indexed(m: EntityManager, ids: readonly string[]): Promise<IndexedRecord[]> {
    if (ids.length === 0) return [];
    return m.query(
      `SELECT source_record_id AS "sourceRecordId", agency_id AS "agencyId", person_id AS "personId",
              features, family_keys AS "familyKeys"
       FROM linkage_record WHERE source_record_id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Index rows of a group of changed records in one statement (triggers keep their rows of linkage_key). */
  async upsertGroup(m: EntityManager, rows: readonly IndexRow[]): Promise<void> {
    if (rows.length === 0) return;
    await preparedRows(m, `WITH input AS (${INDEX_INPUT}) ${UPSERT_INDEX_FROM_INPUT}`, [indexRowsJson(rows)]);
  }

  async remove(m: EntityManager, id: string): Promise<void> {
    await preparedRows(m, `DELETE FROM linkage_link WHERE a = $1 OR b = $1`, [id]);
    await preparedRows(m, `DELETE FROM linkage_record WHERE source_record_id = $1`, [id]);
  }

  /**
   * A group's candidate pairs in one statement: for each record, in order, the records sharing any of its
   * keys, skipping keys whose block is bigger than its rule's cap (as batch does).
   */
  async candidatesOfGroup(
    m: EntityManager,
    records: readonly { id: string; keys: readonly { key: string; limit: number }[] }[],
  ): Promise<IndexedRecord[][]> {
    const answer: IndexedRecord[][] = records.map(() => []);
    const wanted = records.flatMap((r, i) => r.keys.map((k) => ({ i: i + 1, ...k })));
    if (wanted.length === 0) return answer;
    const rows = await preparedRows<IndexedRecord & { for: number }>(m, GROUP_CANDIDATES_SQL, [
      wanted.map((w) => w.i),
      wanted.map((w) => w.key),
      wanted.map((w) => w.limit),
      records.map((r) => r.id),
    ]);
    for (const { for: i, ...row } of rows) answer[i - 1]!.push(row);
    return answer;
  }

  /** The links of a group of records, replaced: every old link touching one of them goes, `links` come in. */
  async replaceLinksOf(m: EntityManager, ids: readonly string[], links: readonly StoredLink[]): Promise<void> {
    if (ids.length > 0)
      await preparedRows(m, `DELETE FROM linkage_link WHERE a = ANY($1::uuid[]) OR b = ANY($1::uuid[])`, [ids]);
    if (links.length === 0) return;
    // Each explanation is stored once, named by the MD5 of its JSON text (see LinkageExplanationEntity).
    await preparedRows(
      m,
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::float8[], $4::text[], $5::text[], $6::text[], $7::text[])
           AS x(a, b, probability, decision, governance, comparisons, model_version)),
       explained AS (
         INSERT INTO linkage_explanation (id, comparisons)
         SELECT DISTINCT ON (md5(comparisons)) md5(comparisons)::uuid, comparisons::jsonb FROM input
         ON CONFLICT (id) DO NOTHING)
       INSERT INTO linkage_link (a, b, probability, decision, governance, explanation_id, model_version)
       SELECT a, b, probability, decision, governance, md5(comparisons)::uuid, model_version FROM input`,
      [
        links.map((l) => l.a),
        links.map((l) => l.b),
        links.map((l) => l.probability),
        links.map((l) => l.decision),
        links.map((l) => l.governance),
        links.map((l) => JSON.stringify(l.comparisons)),
        links.map((l) => l.modelVersion),
      ],
    );
  }

  /**
   * What re-clustering the records joined to `seeds` needs, in one statement: the records reached through
   * links that count (model links at or above `link` not denied by governance, and must-link decisions),
   * walked breadth-first up to `cap` records, with their places, the links among them and the latest
   * human decision on each of their pairs.
   */
  async clusterInput(m: EntityManager, seeds: readonly string[], link: number, cap = 5000): Promise<ClusterInput> {
    const [row] = await preparedRows<{
      places: RecordPlaceRow[] | null;
      links: LinkRow[] | null;
      decisions: DecisionRow[] | null;
    }>(m, CLUSTER_INPUT_SQL, [seeds, link, cap]);
    return {
      places: (row!.places ?? []).map(([sourceRecordId, agencyId, personId, ref]) => ({
        sourceRecordId,
        agencyId,
        personId,
        ref,
      })),
      links: (row!.links ?? []).map(([a, b, probability, governance]) => ({ a, b, probability, governance })),
      decisions: (row!.decisions ?? []).map(([a, b, decision]) => ({ a, b, decision })),
    };
  }

  async linksAmong(m: EntityManager, ids: readonly string[]): Promise<StoredLink[]> {
    return m.query(
      `SELECT a, b, probability, decision, governance, e.comparisons, model_version AS "modelVersion"
       FROM linkage_link JOIN linkage_explanation e ON e.id = explanation_id
       WHERE a = ANY($1::uuid[]) AND b = ANY($1::uuid[])`,
      [ids],
    );
  }

  async allDecisions(m: EntityManager): Promise<HumanLinkDecision[]> {
    return m.query(`SELECT DISTINCT ON (a, b) a, b, decision FROM linkage_decision ORDER BY a, b, created_at DESC`);
  }

  async members(m: EntityManager, personIds: readonly string[]): Promise<string[]> {
    if (personIds.length === 0) return [];
    const rows = await m.query<{ id: string }[]>(
      `SELECT source_record_id AS id FROM linkage_record WHERE person_id = ANY($1::uuid[])`,
      [personIds],
    );
    return rows.map((r) => r.id);
  }

  /** Creation order of persons or families, for "a merge keeps the older id". */
  async ages(
    m: EntityManager,
    table: 'linked_person' | 'family',
    ids: readonly string[],
  ): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await preparedRows<{ id: string; t: string }>(
      m,
      `SELECT id, extract(epoch FROM created_at) * 1000000 AS t FROM ${table} WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, Number(r.t)]));
  }

  /**
   * Records' persons, in one statement: persons created (or revived) as needed, and only records whose
   * person changes are updated (an update rewrites the row's index entries, GIN included).
   */
  async setPersons(m: EntityManager, assignments: ReadonlyMap<string, string | null>): Promise<void> {
    if (assignments.size === 0) return;
    const persons = [...new Set([...assignments.values()].filter((p): p is string => p !== null))];
    await preparedRows(
      m,
      `WITH persons AS (
         INSERT INTO linked_person (id) SELECT unnest($1::uuid[])
         ON CONFLICT (id) DO UPDATE SET status = 'active', merged_into = NULL
         WHERE linked_person.status <> 'active' OR linked_person.merged_into IS NOT NULL)
       UPDATE linkage_record r SET person_id = v.person FROM unnest($2::uuid[], $3::uuid[]) AS v(id, person)
       WHERE r.source_record_id = v.id AND r.person_id IS DISTINCT FROM v.person`,
      [persons, [...assignments.keys()], [...assignments.values()]],
    );
  }

  /** Persons with no records left: merged into another, or emptied by withdrawals. */
  async retirePersons(m: EntityManager, ids: readonly string[], mergedInto: string | null): Promise<void> {
    if (ids.length === 0) return;
    await preparedRows(
      m,
      `UPDATE linked_person p SET status = $2, merged_into = $3, family_id = NULL
       WHERE id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM linkage_record r WHERE r.person_id = p.id)`,
      [ids, mergedInto ? 'merged' : 'empty', mergedInto],
    );
  }

  /**
   * The persons tied to `persons` by family keys (household references, UPRNs), walked breadth-first:
   * every person whose family could change when these change. Answers each person's family keys and
   * present family.
   */
  async familyComponent(
    m: EntityManager,
    persons: readonly string[],
    cap = 5000,
  ): Promise<Map<string, { keys: string[]; family: string | null }>> {
    const found = new Map<string, { keys: string[]; family: string | null }>();
    let frontier = [...new Set(persons)];
    const seenKeys = new Set<string>();
    // One statement per step outward: the frontier's keys and families, and who else holds any key not walked yet.
    while (frontier.length > 0 && found.size < cap) {
      const rows = await preparedRows<{
        person: string;
        keys: string[] | null;
        family: string | null;
        holder: boolean;
      }>(
        m,
        `WITH frontier AS MATERIALIZED (
           SELECT person_id AS person, k FROM linkage_record LEFT JOIN LATERAL unnest(family_keys) k ON true
           WHERE person_id = ANY($1::uuid[])),
         fresh AS MATERIALIZED (SELECT DISTINCT k FROM frontier WHERE k IS NOT NULL AND NOT k = ANY($2::text[]))
         SELECT f.person::text AS person, array_agg(DISTINCT f.k) FILTER (WHERE f.k IS NOT NULL) AS keys,
                (SELECT p.family_id FROM linked_person p WHERE p.id = f.person) AS family, false AS holder
         FROM frontier f GROUP BY f.person
         UNION ALL
         SELECT DISTINCT lr.person_id::text, NULL::text[], NULL::uuid, true
         FROM linkage_family_key fk JOIN linkage_record lr ON lr.source_record_id = fk.source_record_id
         WHERE fk.key = ANY (ARRAY(SELECT hashtextextended(k, 0) FROM fresh))
           AND lr.family_keys && ARRAY(SELECT k FROM fresh) AND lr.person_id IS NOT NULL`,
        [frontier, [...seenKeys]],
      );
      for (const r of rows) if (!r.holder) found.set(r.person, { keys: r.keys ?? [], family: r.family });
      for (const r of rows) if (!r.holder) for (const k of r.keys ?? []) seenKeys.add(k);
      frontier = [...new Set(rows.filter((r) => r.holder && !found.has(r.person)).map((r) => r.person))];
    }
    return found;
  }

  async setFamilies(
    m: EntityManager,
    families: readonly { id: string; persons: readonly string[]; reasons: readonly string[] }[],
  ): Promise<void> {
    for (let start = 0; start < families.length; start += 5000) {
      const chunk = families.slice(start, start + 5000);
      // One statement; rows that would not change are not rewritten.
      await preparedRows(
        m,
        `WITH families AS (
           INSERT INTO family (id, reasons)
           SELECT r.id, ARRAY(SELECT jsonb_array_elements_text(r.reasons))
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, reasons jsonb)
           ON CONFLICT (id) DO UPDATE SET reasons = EXCLUDED.reasons, status = 'active', merged_into = NULL
           WHERE (family.reasons, family.status, family.merged_into)
             IS DISTINCT FROM (EXCLUDED.reasons, 'active', NULL::uuid))
         UPDATE linked_person p SET family_id = v.family FROM unnest($2::uuid[], $3::uuid[]) AS v(person, family)
         WHERE p.id = v.person AND p.family_id IS DISTINCT FROM v.family`,
        [
          JSON.stringify(chunk.map((f) => ({ id: f.id, reasons: f.reasons }))),
          chunk.flatMap((f) => f.persons),
          chunk.flatMap((f) => f.persons.map(() => f.id)),
        ],
      );
    }
  }

  async retireFamilies(m: EntityManager, ids: readonly string[], mergedInto: string | null): Promise<void> {
    if (ids.length === 0) return;
    await preparedRows(
      m,
      `UPDATE family f SET status = $2, merged_into = $3
       WHERE id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM linked_person p WHERE p.family_id = f.id)`,
      [ids, mergedInto ? 'merged' : 'empty', mergedInto],
    );
  }

  /** Persons' and families' merges, splits and creations, a thousand to a statement. */
  async logChanges(m: EntityManager, changes: readonly LinkageChangeRow[]): Promise<void> {
    for (let start = 0; start < changes.length; start += 1000) {
      await preparedRows(
        m,
        `INSERT INTO linkage_change (kind, ids, details)
         SELECT r.kind, ARRAY(SELECT jsonb_array_elements_text(r.ids))::uuid[], r.details
         FROM jsonb_to_recordset($1::jsonb) AS r(kind text, ids jsonb, details jsonb)`,
        [JSON.stringify(changes.slice(start, start + 1000))],
      );
    }
  }

  async announceFamilies(m: EntityManager, familyIds: readonly string[], correlationId: string): Promise<void> {
    await this.announceEach(
      m,
      familyIds.map((familyId) => ({ familyId, correlationId })),
    );
  }

  /** Families changed by a group of records, each with the correlation id of the record that changed it. */
  async announceEach(m: EntityManager, changes: readonly { familyId: string; correlationId: string }[]): Promise<void> {
    await announceInBatches(
      m,
      'family.changed',
      null,
      { list: 'families', id: 'familyId' },
      changes.map((c) => ({ id: c.familyId, correlationId: c.correlationId })),
    );
  }

  /** Serialises linkage changes: two jobs must not re-cluster overlapping components at once. */
  async lock(m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [LINKAGE_LOCK]);
  }

  /**
   * Changed records as linking them starts, in one statement (taken after the lock, so it sees every
   * committed change): each one's source row (null when gone), whether it is indexed, its person and
   * that person's records, and the published model version.
   */
  async changedRecords(m: EntityManager, ids: readonly string[]): Promise<RecordToLink[]> {
    return preparedRows(
      m,
      `SELECT x.id, s.agency_id, s.record, s.status, s.invalid_fields,
              r.source_record_id IS NOT NULL AS indexed, r.person_id AS "personId",
              CASE WHEN r.person_id IS NULL THEN '{}'::uuid[]
                   ELSE ARRAY(SELECT o.source_record_id FROM linkage_record o WHERE o.person_id = r.person_id) END AS members,
              (SELECT version FROM linkage_model_version WHERE status = 'published') AS published
       FROM unnest($1::uuid[]) AS x(id)
       LEFT JOIN source_record s ON s.id = x.id
       LEFT JOIN linkage_record r ON r.source_record_id = x.id`,
      [ids],
    );
  }

  /** A person (following merges), its records by agency reference, family and the links among them. */
  async personView(m: EntityManager, id: string) {
    const [person] = await m.query<
      { id: string; status: string; mergedInto: string | null; familyId: string | null }[]
    >(
      `WITH RECURSIVE chain AS (
         SELECT id, status, merged_into, family_id, 0 AS depth FROM linked_person WHERE id = $1
         UNION ALL SELECT p.id, p.status, p.merged_into, p.family_id, c.depth + 1
         FROM linked_person p JOIN chain c ON p.id = c.merged_into WHERE c.depth < 50)
       SELECT id, status, merged_into AS "mergedInto", family_id AS "familyId" FROM chain ORDER BY depth DESC LIMIT 1`,
      [id],
    );
    if (!person) return null;
    const records = await m.query<{ id: string; agency: string; externalId: string }[]>(
      // The person's index rows first, then their source records by primary key: under row-level
      // security the planner misjudges the join and would scan every source record.
      `WITH mine AS MATERIALIZED (SELECT source_record_id, agency_id FROM linkage_record WHERE person_id = $1)
       SELECT r.source_record_id AS id, r.agency_id AS agency, s.external_id AS "externalId"
       FROM source_record s JOIN mine r ON r.source_record_id = s.id
       WHERE s.id = ANY(ARRAY(SELECT source_record_id FROM mine)) ORDER BY r.agency_id, s.external_id`,
      [person.id],
    );
    const links = await this.linksAmong(
      m,
      records.map((r) => r.id),
    );
    return { person, records, links, requested: id };
  }

  async link(m: EntityManager, a: string, b: string): Promise<StoredLink | null> {
    const [x, y] = a < b ? [a, b] : [b, a];
    const [row] = await m.query<StoredLink[]>(
      `SELECT a, b, probability, decision, governance, e.comparisons, model_version AS "modelVersion"
       FROM linkage_link JOIN linkage_explanation e ON e.id = explanation_id WHERE a = $1 AND b = $2`,
      [x, y],
    );
    return row ?? null;
  }

  /** Pairs waiting for a person: between the thresholds, allowed, and not yet decided. Keyset by (a, b). */
  async reviewPage(m: EntityManager, after: { a: string; b: string } | null, limit: number): Promise<StoredLink[]> {
    return m.query(
      `SELECT l.a, l.b, l.probability, l.decision, l.governance, e.comparisons, l.model_version AS "modelVersion"
       FROM linkage_link l JOIN linkage_explanation e ON e.id = l.explanation_id
       WHERE l.decision = 'review' AND l.governance <> 'denied'
         AND NOT EXISTS (SELECT 1 FROM linkage_decision d WHERE d.a = l.a AND d.b = l.b)
         AND ($1::uuid IS NULL OR (l.a, l.b) > ($1::uuid, $2::uuid))
       ORDER BY l.a, l.b LIMIT $3`,
      [after?.a ?? null, after?.b ?? null, limit],
    );
  }

  /** Agency references of source records, for showing pairs without showing personal data. */
  async references(m: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await m.query<{ id: string; ref: string }[]>(
      `SELECT id, agency_id || '/' || external_id AS ref FROM source_record WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.ref]));
  }

  /** One page of the export: every live source record with its person and family, keyset by id. */
  async exportPage(m: EntityManager, after: string | null, limit: number) {
    return m.query<
      { id: string; agency: string; externalId: string; personId: string | null; familyId: string | null }[]
    >(
      `SELECT s.id, s.agency_id AS agency, s.external_id AS "externalId", r.person_id AS "personId",
              p.family_id AS "familyId"
       FROM source_record s
       LEFT JOIN linkage_record r ON r.source_record_id = s.id
       LEFT JOIN linked_person p ON p.id = r.person_id
       WHERE s.status = 'active' AND ($1::uuid IS NULL OR s.id > $1::uuid)
       ORDER BY s.id LIMIT $2`,
      [after, limit],
    );
  }
}

/** One record's row in the blocking index. */
export interface IndexRow {
  sourceRecordId: string;
  agencyId: string;
  features: unknown;
  blockingKeys: string[];
  familyKeys: string[];
}

/**
 * Candidates of a group's records (see LinkageRepository.candidatesOfGroup): record `i` (1-based, `$1`)
 * wants key `$2` unless its block is bigger than cap `$3` (as batch skips it); `$4` are the records' own
 * ids. Each key reads at most cap + 1 of its rows from linkage_key's B-tree: more than the cap, and the
 * block is skipped; otherwise its records are candidates, each once per record. Exported for the test
 * of its plan.
 */
export const GROUP_CANDIDATES_SQL = `WITH q AS MATERIALIZED (
         SELECT v.i, hashtextextended(v.k, 0) AS h, v.cap FROM unnest($1::int[], $2::text[], $3::int[]) AS v(i, k, cap)),
       hits AS MATERIALIZED (
         SELECT q.i, q.cap, lk.source_record_id, count(*) OVER (PARTITION BY q.i, q.h) AS size FROM q
         CROSS JOIN LATERAL (SELECT source_record_id FROM linkage_key WHERE key = q.h LIMIT q.cap + 1) lk),
       wanted AS (
         SELECT DISTINCT i, source_record_id FROM hits WHERE size <= cap AND source_record_id <> ($4::uuid[])[i])
       SELECT w.i AS "for", lr.source_record_id AS "sourceRecordId", lr.agency_id AS "agencyId",
              lr.person_id AS "personId", lr.features, lr.family_keys AS "familyKeys"
       FROM wanted w JOIN linkage_record lr ON lr.source_record_id = w.source_record_id`;

/** Blocking keys are stored hashed (see LinkageRecordEntity.blockingKeys). */
export const BLOCK_HASHES = `ARRAY(SELECT hashtextextended(k, 0) FROM json_array_elements_text(i.keys) k)`;

/** Index rows travel as one JSON parameter: arrays of key arrays are ragged, which Postgres arrays are not. */
// json, not jsonb: the features are stored as the text they arrive as (see LinkageRecordEntity.features).
const INDEX_INPUT = `SELECT * FROM json_to_recordset($1::json) AS r(id uuid, agency text, features json, keys json, family json)`;
const UPSERT_INDEX_FROM_INPUT = `INSERT INTO linkage_record (source_record_id, agency_id, features, blocking_keys, family_keys)
  SELECT i.id, i.agency, i.features, ${BLOCK_HASHES},
         ARRAY(SELECT json_array_elements_text(i.family))
  FROM input i
  ON CONFLICT (source_record_id) DO UPDATE SET features = EXCLUDED.features,
    blocking_keys = EXCLUDED.blocking_keys, family_keys = EXCLUDED.family_keys, updated_at = now()`;

function indexRowsJson(rows: readonly IndexRow[]): string {
  return JSON.stringify(
    rows.map((r) => ({
      id: r.sourceRecordId,
      agency: r.agencyId,
      features: r.features,
      keys: r.blockingKeys,
      family: r.familyKeys,
    })),
  );
}
