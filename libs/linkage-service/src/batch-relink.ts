import type { DataSource, EntityManager } from 'typeorm';
import type { CanonicalRecord } from '@joinedup/core';
import {
  candidatePairs,
  clusterPersons,
  type ExplainedPair,
  explainedPairs,
  familyKeys,
  fromStored,
  indexRowOf,
  joinKeyHashes,
  type KeyHashes,
  keyHashesOf,
  LevelsHelper,
  type Prepared,
  type StoredFeatures,
  toStored,
  type TrainedModel,
  UNMATCHED_RECORD_FIELDS,
} from '@joinedup/linkage';
import { type KeysRebuild, LinkageBatchRepository, type StoredLink, withSystemScope } from '@joinedup/persistence';
import { placeEveryone } from './batch-placement.js';
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

export interface SourceRow {
  id: string;
  agency_id: string;
  record: CanonicalRecord;
  invalid_fields: string[];
}

/** A live record as a batch keeps it once prepared: the full record is not held (memory at a million). */
export interface LiveRecord {
  id: string;
  agency_id: string;
}

/**
 * Lets the event loop run between long in-memory stages: a worker process also holds other queues'
 * jobs, whose BullMQ locks are renewed by timers that a stage of many seconds would hold up.
 */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Memory for the batch transaction's sorts and groupings. */
const BATCH_WORK_MEM = '256MB';

/** Records per fetch while preparing: about a megabyte, so the next page fits in the socket's buffers. */
const PAGE = 2_000;

/** Pages a helper thread may have to prepare at once; beyond that, this thread prepares the next itself. */
const PAGES_AHEAD = 8;

/**
 * The live records (`asOf`: only those unchanged since then), ordered by id, and their prepared
 * features: read a page at a time so that only one page of full records is held. `between` runs after
 * each page (a job yields there, so its lock is renewed). With a `helper`, both threads prepare: a page
 * goes to the helper while it has fewer than PAGES_AHEAD to do (it answers their features, which costs
 * this thread a quarter of preparing them), else this thread prepares it and sends the helper theirs;
 * either way the records' key hashes under the helper's rules come too (`hashes`).
 */
export async function readPrepared(
  m: Pick<EntityManager, 'query'>,
  asOf: Date | null,
  between: () => Promise<void> = async () => undefined,
  pageSize = PAGE,
  helper?: LevelsHelper,
): Promise<{ rows: LiveRecord[]; prepared: Prepared[]; hashes?: KeyHashes }> {
  const rows: LiveRecord[] = [];
  // One cursor, fetched a page at a time: pages by `id > last ORDER BY id LIMIT n` were planned (under
  // row-level security's estimates) as a scan and sort of the whole table each, 195 s for 1,000,000.
  // `asOf` is the run's own timestamp from the database, never input, so it is written inline. Records
  // come as JSON text, without the fields matching never reads: the page's preparer parses them.
  const since = asOf ? `AND updated_at <= '${asOf.toISOString()}'::timestamptz` : '';
  const unread = `'{${UNMATCHED_RECORD_FIELDS.join(',')}}'::text[]`;
  await m.query(
    `DECLARE live_records NO SCROLL CURSOR FOR SELECT id, agency_id, (record - ${unread})::text AS record,
       invalid_fields
     FROM source_record WHERE status = 'active' ${since} ORDER BY id`,
  );
  const fetch = (): Promise<(Omit<SourceRow, 'record'> & { record: string })[]> =>
    m.query(`FETCH ${Number(pageSize)} FROM live_records`);
  // Each page's prepared records and key hashes, in order; the helper's come back as their StoredFeatures.
  const pages: Promise<{ prepared: Prepared[]; hashes?: KeyHashes }>[] = [];
  let helping = 0;
  // The next page is asked for before this one is prepared, so PostgreSQL reads and sends it meanwhile
  // (a page small enough to wait in the socket's buffers).
  let next = fetch();
  for (;;) {
    const page = await next;
    const more = page.length === pageSize;
    if (more) next = fetch();
    for (const row of page) rows.push({ id: row.id, agency_id: row.agency_id });
    if (helper && helping < PAGES_AHEAD) {
      helping += 1;
      const answer = helper.prepare({
        agencies: page.map((r) => r.agency_id),
        records: page.map((r) => r.record),
        invalidFields: page.map((r) => r.invalid_fields),
      });
      const prepared = answer.then(({ text, hashes }) => {
        helping -= 1;
        return { prepared: (JSON.parse(text) as StoredFeatures[]).map(fromStored), hashes };
      });
      prepared.catch(() => undefined); // awaited below, in order; a failure is reported there
      pages.push(prepared);
    } else {
      const here = page.map((row) => LinkageService.prepare({ ...row, record: JSON.parse(row.record) }));
      let hashes: KeyHashes | undefined;
      if (helper) {
        hashes = keyHashesOf(here, helper.rules);
        helper.add(
          here.map((p) => JSON.stringify(toStored(p))),
          hashes,
        );
      }
      pages.push(Promise.resolve({ prepared: here, hashes }));
    }
    await between();
    if (!more) break;
  }
  await m.query(`CLOSE live_records`);
  const prepared: Prepared[] = [];
  const hashes: KeyHashes[] = [];
  for (const page of pages) {
    const done = await page;
    for (const p of done.prepared) prepared.push(p);
    if (done.hashes) hashes.push(done.hashes);
  }
  return { rows, prepared, hashes: helper ? joinKeyHashes(hashes, helper.rules.length) : undefined };
}

/** A batch's scored pairs (by position in the live records, ordered by id) and how many were compared. */
export interface BatchEvidence {
  candidatePairs: number;
  pairs: ExplainedPair[];
}

/**
 * Where a batch's scored pairs come from: scored here (`scoreHere`), or by a run's partitions (RelinkRuns).
 * `hashes`: the records' key hashes under the model's blocking rules, when readPrepared has them.
 */
export type EvidenceSource = (
  rows: readonly LiveRecord[],
  prepared: readonly Prepared[],
  model: TrainedModel,
  progress: (stage: string) => void,
  hashes?: KeyHashes,
) => Promise<BatchEvidence>;

/** Every candidate pair compared in this process (with `helper`, on two threads). */
export const scoreHere =
  (helper?: LevelsHelper): EvidenceSource =>
  async (_rows, prepared, model, progress, hashes) => {
    progress('blocking');
    const { pairs } = candidatePairs(prepared, model.blocking, model.maxBlockSize, hashes);
    progress(`${pairs.length} candidate pairs; comparing`);
    const table = helper ? await helper.levels(prepared, pairs) : undefined;
    return { candidatePairs: pairs.length, pairs: explainedPairs(prepared, pairs, model, table) };
  };

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
 * Everything is computed in memory first (links, persons, families and their stable ids, the diff);
 * with `dryRun` it answers the diff and writes nothing (how a model or threshold change is reviewed
 * before it is published), otherwise it writes what differs in a few large statements.
 */
export async function relinkAll(
  dataSource: DataSource,
  service: LinkageService,
  options: RelinkOptions = {},
): Promise<RelinkDiff> {
  const progress = options.onProgress ?? (() => undefined);
  const batch = new LinkageBatchRepository();
  let helper: LevelsHelper | undefined;
  try {
    return await withSystemScope(dataSource, async (m) => {
      await service.repo.lock(m);
      // Counting blocks groups every record's keys (12 million at a million records): in memory, not
      // spilled to disk by the default 4 MB meant for many small sessions. This transaction only.
      await m.query(`SET LOCAL work_mem = '${BATCH_WORK_MEM}'`);
      // The gate's decisions and their audit events name two million refs at a million records, stored
      // compressed: lz4 where PostgreSQL has it, not the default pglz (a sixth of the time for such
      // arrays). Each value records its method, so readers need nothing.
      await m.query(
        `SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings
         WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)`,
      );
      const model = options.model ?? (await service.refreshModel(m));
      // A second thread prepares the records as they are read, works out the index rows' text and, when
      // scored here, compares pairs alongside this one: not started for a dry run of scores already made
      // (the partitions'), which needs none of it.
      const helping =
        options.dryRun && options.evidence ? undefined : new LevelsHelper(model.comparisons, model.blocking);
      helper = helping; // for the `finally`; the const keeps its narrowing inside the callbacks below
      const evidence = options.evidence ?? scoreHere(helping);
      const { rows, prepared, hashes } = await readPrepared(m, null, yieldToLoop, undefined, helping);
      const indexRows = options.dryRun || !helping ? undefined : helping.indexRows();
      indexRows?.catch(() => undefined); // awaited below; a failure is reported there
      progress(`${rows.length} live records`);
      const position = (id: string) => positionById(rows, id);
      const human = service.governedDecisions(
        (i) => ({ agency: rows[i]!.agency_id, ref: prepared[i]!.id }),
        (await service.repo.allDecisions(m))
          .map((d) => ({ a: position(d.a), b: position(d.b), decision: d.decision }))
          .filter((d) => d.a >= 0 && d.b >= 0),
      );
      // Where records sit now, read before the key tables may be rebuilt (a statement sent after that
      // queues behind the rebuild).
      const places = await batch.places(m);
      const before = places.filter((p) => position(p.id) >= 0);
      const oldLinks = new Set(
        (
          await m.query<{ a: string; b: string }[]>(
            `SELECT a, b FROM linkage_link WHERE probability >= $1 AND governance <> 'denied'`,
            [model.thresholds.link],
          )
        ).map((l) => pairKey(l.a, l.b)),
      );
      const personAges = await batch.activeAges(m, 'linked_person');
      const familyAges = await batch.activeAges(m, 'family');
      const scoredPairs = await evidence(rows, prepared, model, progress, hashes);
      const scored = scoredPairs.pairs;
      const index = await indexRows;
      await helping?.close();
      helper = undefined;
      // A first link of the place (or most of it) rebuilds the key tables rather than filling them row by
      // row: PostgreSQL fills them from the keys now, on a connection of their own, while this thread
      // clusters and places persons and writes the rest (see rebuildKeys); writeIndex swaps them in.
      let keys: KeysRebuild | undefined;
      if (!options.dryRun && index && before.length < rows.length / 2) {
        progress('streaming the blocking keys; PostgreSQL indexes them beside');
        keys = await batch.rebuildKeys(
          m,
          (function* () {
            for (let i = 0; i < rows.length; i += 1) yield { id: rows[i]!.id, row: indexRowOf(index, i) };
          })(),
        );
      }
      // From here on a record is kept as its reference, family keys and index row bytes, and the prepared
      // features go: at a million records they are thirty million small objects for the collector to walk.
      const refs = prepared.map((p) => p.id);
      const familyKeysOf = prepared.map((p) => familyKeys(p));
      prepared.length = 0;

      // Links: the scored pairs at or above review, explained, with the governance answer recorded.
      progress(`governance gate for ${scored.length} scored pairs`);
      // By position in `scored`: the cross-agency pairs asked, and which the gate refused.
      const cross: number[] = [];
      scored.forEach((s, k) => {
        if (rows[s.a]!.agency_id !== rows[s.b]!.agency_id) cross.push(k);
      });
      const gate = service.decideBatch(
        cross.map((k) => {
          const s = scored[k]!;
          return { x: rows[s.a]!.agency_id, y: rows[s.b]!.agency_id, subject: [refs[s.a]!, refs[s.b]!] };
        }),
      );
      const denied = new Uint8Array(scored.length);
      cross.forEach((k, i) => {
        if (!gate.answers[i]) denied[k] = 1;
      });
      await yieldToLoop();
      const links: StoredLink[] = scored.map((s, k) => {
        const [x, y] = [rows[s.a]!, rows[s.b]!];
        const governance = x.agency_id === y.agency_id ? 'same-agency' : denied[k] === 1 ? 'denied' : 'allowed';
        const [a, b] = x.id < y.id ? [x.id, y.id] : [y.id, x.id];
        return {
          a,
          b,
          probability: s.probability,
          decision: s.probability >= model.thresholds.link ? 'link' : 'review',
          governance,
          modelVersion: model.version,
          // Worked out when written (see explainedPairs).
          get comparisons() {
            return s.comparisons as unknown as Record<string, unknown>[];
          },
          get comparisonsJson() {
            return s.comparisonsJson;
          },
        };
      });
      await yieldToLoop();
      progress('clustering');
      // The gate refused pairs before clustering; they stay stored (denied) so reviewers see why.
      const personOf = clusterPersons(
        rows.length,
        scored.filter((_, k) => denied[k] === 0),
        model.thresholds,
        human,
      );

      await yieldToLoop();
      progress('persons and families: stable ids');
      // Links formed and broken, by their pair of ids; none were there before a first link (half a million
      // strings to make and look up for nothing).
      const linked = links.filter((l) => l.probability >= model.thresholds.link && l.governance !== 'denied');
      const newLinks = oldLinks.size === 0 ? null : new Set(linked.map((l) => pairKey(l.a, l.b)));
      const placed = placeEveryone(rows, familyKeysOf, personOf, before, places, personAges, familyAges);
      await yieldToLoop();
      // A first link changes every family it forms: no membership to compare (a million ids to sort and join).
      const changed =
        before.length === 0 ? placed.families.map((f) => f.id) : changedFamilies(before, rows, placed.familyOfRecord);
      const diff: RelinkDiff = {
        modelVersion: model.version,
        records: rows.length,
        candidatePairs: scoredPairs.candidatePairs,
        linksFormed: newLinks ? [...newLinks].filter((k) => !oldLinks.has(k)).length : linked.length,
        linksBroken: newLinks ? [...oldLinks].filter((k) => !newLinks.has(k)).length : 0,
        personsMerged: placed.persons.merges.reduce((s, x) => s + x.from.length, 0),
        personsSplit: placed.persons.splits.length,
        personsCreated: placed.persons.created.length,
        familiesChanged: changed.length,
        applied: !options.dryRun,
      };
      if (options.dryRun) return diff;

      // Records indexed before (and live) are upserted; the others are new rows, written straight in.
      const wasIndexed = new Uint8Array(rows.length);
      for (const p of before) wasIndexed[position(p.id)] = 1;
      const lines = (indexed: number) =>
        (function* () {
          for (let i = 0; i < rows.length; i += 1)
            if (wasIndexed[i] === indexed)
              yield {
                id: rows[i]!.id,
                agency: rows[i]!.agency_id,
                row: indexRowOf(index!, i),
                personId: placed.personOfRecord[i]!,
              };
        })();
      // A first link writes every index row afresh: on another connection, while this one writes the rest.
      const staged = keys !== undefined && before.length === 0;
      if (keys && staged) {
        progress('staging the index rows beside');
        keys = await batch.stageRecords(m, keys, lines(0));
      }
      progress(`writing ${links.length} links, ${gate.groups.length} gate decisions`);
      await service.recordBatchGate(m, gate);
      progress('links');
      if (!staged) await batch.dropNotLive(m); // a staged table replaces every row
      await batch.replaceAllLinks(
        m,
        links.sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0)),
      );
      // Families and persons before the index rows: with a rebuild, writing those finishes it by building
      // the indexes dropped for it, persons' and links' too.
      progress(`${placed.families.length} families`);
      await batch.writeFamilies(m, placed.families);
      progress(`${placed.personRows.length} persons`);
      await batch.writePersons(m, placed.personRows);
      progress(staged ? 'waiting for the index rows and key tables beside' : `${rows.length} index rows`);
      await batch.writeIndex(m, staged ? [] : lines(0), lines(1), keys);
      progress(`retiring ${placed.retiredPersons.length} persons and ${placed.retiredFamilies.length} families`);
      await batch.retire(m, 'linked_person', placed.retiredPersons);
      await batch.retire(m, 'family', placed.retiredFamilies);
      await service.repo.logChanges(m, placed.changes);
      await options.beforeCommit?.(m, diff);
      progress(`announcing ${changed.length} changed families`);
      await service.repo.announceFamilies(m, changed, `relink-${model.version}`);
      progress('committing');
      return diff;
    });
  } finally {
    await helper?.close();
  }
}

/**
 * A live record's position by its id, or -1: the records come ordered by id (the cursor's ORDER BY; a
 * uuid's text sorts as its bytes do), so a binary search, not a Map of a million ids.
 */
export function positionById(rows: readonly { id: string }[], id: string): number {
  let from = 0;
  let to = rows.length - 1;
  while (from <= to) {
    const mid = (from + to) >> 1;
    const at = rows[mid]!.id;
    if (at === id) return mid;
    if (at < id) from = mid + 1;
    else to = mid - 1;
  }
  return -1;
}

/** Families whose records differ before and after (created, emptied or changed). */
function changedFamilies(
  before: readonly { id: string; family: string | null }[],
  rows: readonly LiveRecord[],
  familyOfRecord: readonly string[],
): string[] {
  const familiesBefore = familyMembership(before);
  const familiesAfter = familyMembership(rows.map((r, i) => ({ id: r.id, family: familyOfRecord[i]! })));
  return [...new Set([...familiesBefore.keys(), ...familiesAfter.keys()])].filter(
    (f) => familiesBefore.get(f) !== familiesAfter.get(f),
  );
}

/** family id -> its records, sorted and joined: equal strings mean an unchanged family. */
function familyMembership(rows: readonly { id: string; family: string | null }[]): Map<string, string> {
  const members = new Map<string, string[]>();
  for (const r of rows) if (r.family) (members.get(r.family) ?? members.set(r.family, []).get(r.family)!).push(r.id);
  return new Map([...members].map(([f, ids]) => [f, ids.sort().join(',')]));
}
