import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { copyTextField, textArrayLiteral } from '@joinedup/core';
import { inCopyBuffers } from './copy-buffer.js';
import type { StoredLink } from './linkage.repository.js';

/** A live record's place before a batch re-link: its person and that person's family. */
export interface IndexedPlace {
  id: string;
  person: string | null;
  family: string | null;
}

/** A person or family no longer in use: merged into another (`into`) or emptied. */
export interface Retired {
  id: string;
  into: string | null;
}

/**
 * One index row as `writeIndex` takes it: the record, its agency, the rest of its row as the UTF-8 bytes
 * of COPY text (its features as JSON, hashed blocking keys as a bigint array literal and family keys as
 * a text array literal, tab-separated: see IndexRowBytes in @joinedup/linkage) and its person.
 */
export interface IndexLine {
  id: string;
  agency: string;
  row: Uint8Array;
  personId: string;
}

/** A rebuild of the key tables under way (see rebuildKeys), for writeIndex to finish. */
export interface KeysRebuild {
  /** Settles when PostgreSQL has filled the key tables and built their primary keys. */
  built: Promise<void>;
  /** With stageRecords: settles when every index row is staged and indexed. */
  records?: Promise<void>;
}

/** Rows per statement: big enough that round trips do not count, small enough to stream. */
const CHUNK = 5000;

const chunks = <T>(rows: readonly T[], size = CHUNK): T[][] =>
  Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));

/**
 * The batch re-link's writes: everything computed in memory first, then written in few large
 * statements, and rows that did not change are not rewritten (a re-link after a threshold change moves
 * a few persons, not every row and its index entries).
 */
export class LinkageBatchRepository {
  /** Where every indexed record sits now (live or not: the caller keeps the live ones). */
  async places(m: EntityManager): Promise<IndexedPlace[]> {
    return m.query(
      `SELECT r.source_record_id AS id, r.person_id AS person, p.family_id AS family
       FROM linkage_record r LEFT JOIN linked_person p ON p.id = r.person_id`,
    );
  }

  /** Creation order of every active person or family (smaller is older), for "a merge keeps the older id". */
  async activeAges(m: EntityManager, table: 'linked_person' | 'family'): Promise<Map<string, number>> {
    const rows = await m.query<{ id: string; t: string }[]>(
      `SELECT id, extract(epoch FROM created_at) * 1000000 AS t FROM ${table} WHERE status = 'active'`,
    );
    return new Map(rows.map((r) => [r.id, Number(r.t)]));
  }

  /** Index rows of records no longer live go (their links go with every link below). */
  async dropNotLive(m: EntityManager): Promise<void> {
    await m.query(
      `DELETE FROM linkage_record r WHERE NOT EXISTS
         (SELECT 1 FROM source_record s WHERE s.id = r.source_record_id AND s.status = 'active')`,
    );
  }

  /**
   * Every link replaced, streamed in by COPY as the index rows are (see writeIndex). Each distinct
   * explanation is written once (a few thousand for half a million links), named by the MD5 of its JSON
   * text as the incremental path names it, and the ones no link uses any more go. In key order (a, b),
   * as the caller gives them, the primary key's pages fill one after another instead of at random.
   */
  async replaceAllLinks(m: EntityManager, links: readonly StoredLink[]): Promise<void> {
    await m.query(`DELETE FROM linkage_link`);
    // Explanations no link uses any more go below; none can if there were none (a first link).
    const [{ some }] = await m.query<{ some: boolean }[]>(`SELECT EXISTS (SELECT 1 FROM linkage_explanation) AS some`);
    // Links scored alike share one JSON string (see explainedPairs): the Map finds it by its cached hash.
    const idOf = new Map<string, string>();
    const explanationOf = links.map((l) => {
      const json = l.comparisonsJson ?? JSON.stringify(l.comparisons);
      let id = idOf.get(json);
      if (id === undefined) idOf.set(json, (id = md5Uuid(json)));
      return id;
    });
    await throughTemporaryTable(
      m,
      `linkage_batch_explanation (id uuid, comparisons jsonb)`,
      (function* () {
        for (const [json, id] of idOf) yield `${id}\t${copyTextField(json)}\n`;
      })(),
      `INSERT INTO linkage_explanation (id, comparisons) SELECT id, comparisons FROM linkage_batch_explanation
       ON CONFLICT (id) DO NOTHING`,
    );
    await throughTemporaryTable(
      m,
      `linkage_batch_link (a uuid, b uuid, probability float8, decision text, governance text, explanation uuid,
         model_version text)`,
      (function* () {
        for (let i = 0; i < links.length; i += 1) {
          const l = links[i]!;
          yield `${l.a}\t${l.b}\t${l.probability}\t${l.decision}\t${l.governance}\t${explanationOf[i]}\t${copyTextField(l.modelVersion)}\n`;
        }
      })(),
      `INSERT INTO linkage_link (a, b, probability, decision, governance, explanation_id, model_version)
       SELECT * FROM linkage_batch_link`,
    );
    if (some)
      await m.query(
        `DELETE FROM linkage_explanation e WHERE NOT EXISTS (SELECT 1 FROM linkage_link l WHERE l.explanation_id = e.id)`,
      );
  }

  /**
   * Starts rebuilding linkage_key and linkage_family_key for a batch that writes most index rows afresh
   * (a first link): the key triggers and secondary indexes go (linkage_indexes_drop: the index rows',
   * and the persons' by family and the links' by their second record, written afresh too), and on a
   * second connection, in a transaction of its own, every record's hashed blocking keys and family keys
   * (the last two fields of its index row, see IndexLine) stream into a temporary table, from which one
   * request, not waited for, fills the staged key tables and builds their primary keys
   * (linkage_keys_stage, linkage_keys_next_index). Resolves once the keys are streamed: PostgreSQL fills
   * and sorts in a process of its own while the caller computes and writes the rest on its connection.
   * Pass the answer to writeIndex, which swaps the staged tables in once they are built (in the caller's
   * transaction, so all or nothing) and switches the triggers on again.
   */
  async rebuildKeys(m: EntityManager, rows: Iterable<{ id: string; row: Uint8Array }>): Promise<KeysRebuild> {
    await m.query(`SELECT linkage_indexes_drop()`);
    const { finished: built } = await besideTransaction(
      m,
      async (beside) => {
        await beside.query(`SELECT linkage_keys_stage()`);
        await beside.query(
          `CREATE TEMPORARY TABLE linkage_batch_keys (id uuid, keys bigint[], family text[]) ON COMMIT DROP`,
        );
        await copyInto(
          beside,
          `COPY linkage_batch_keys FROM STDIN`,
          inCopyBuffers(rows, (out, r) => {
            out.text(`${r.id}\t`);
            // After the features, which hold no raw tab: COPY text escapes a tab in a field.
            out.bytes(r.row.subarray(r.row.indexOf(9) + 1));
            out.text('\n');
          }),
        );
      },
      // One request of several statements (no parameters: the simple protocol allows that).
      (beside) =>
        beside.query(
          `INSERT INTO linkage_key_next (key, source_record_id) SELECT k, id FROM linkage_batch_keys, unnest(keys) k;
           INSERT INTO linkage_family_key_next (key, source_record_id)
             SELECT hashtextextended(k, 0), id FROM linkage_batch_keys, unnest(family) k;
           SELECT linkage_keys_next_index();`,
        ),
    );
    return { built };
  }

  /**
   * For a rebuild where every index row is new (a first link: no live record indexed before), writes
   * them on another connection, in a transaction of its own, into a staged table, and indexes it
   * (linkage_records_stage, linkage_records_next_index), while the caller writes the rest on its own:
   * a million rows are 630 MB of COPY text. Not waited for: answers `rebuild` with the staging under way,
   * which writeIndex, given it and no fresh rows, waits for and swaps in (in the caller's transaction).
   */
  async stageRecords(m: EntityManager, rebuild: KeysRebuild, fresh: Iterable<IndexLine>): Promise<KeysRebuild> {
    const { finished } = await besideTransaction(
      m,
      (beside) => beside.query(`SELECT linkage_records_stage()`),
      async (beside) => {
        await copyInto(
          beside,
          `COPY linkage_record_next (source_record_id, agency_id, features, blocking_keys, family_keys, person_id)
           FROM STDIN`,
          indexLines(fresh),
        );
        await beside.query(`SELECT linkage_records_next_index()`);
      },
    );
    return { ...rebuild, records: finished };
  }

  /**
   * Index rows with their person. Records not indexed yet (`fresh`, a first link's million)
   * stream by COPY straight into the table (it has no row-level security; see
   * IndexLookupsWithoutRowSecurity): written once, not into a temporary table and again from it. Records
   * indexed already stream into a temporary table, then one statement writes only the rows that differ,
   * in the order given (the batch gives them by id, so the primary key fills in order). The caller holds
   * the linkage lock, so what is indexed does not change meanwhile. With `rebuild` (see rebuildKeys),
   * the key tables are being rebuilt beside from the same rows: once the rows are written and the staged
   * key tables built, those are swapped in and the triggers come on again with the secondary indexes
   * built (write persons and links first).
   */
  async writeIndex(
    m: EntityManager,
    fresh: Iterable<IndexLine>,
    indexed: Iterable<IndexLine>,
    rebuild?: KeysRebuild,
  ): Promise<void> {
    await copyInto(
      m,
      `COPY linkage_record (source_record_id, agency_id, features, blocking_keys, family_keys, person_id) FROM STDIN`,
      indexLines(fresh),
    );
    await throughTemporaryTable(
      m,
      `linkage_batch_index (id uuid, agency text, features json, keys bigint[], family text[], person uuid)`,
      indexLines(indexed),
      `INSERT INTO linkage_record (source_record_id, agency_id, person_id, features, blocking_keys, family_keys)
       SELECT i.id, i.agency, i.person, i.features, i.keys, i.family FROM linkage_batch_index i
       ON CONFLICT (source_record_id) DO UPDATE SET person_id = EXCLUDED.person_id, features = EXCLUDED.features,
         blocking_keys = EXCLUDED.blocking_keys, family_keys = EXCLUDED.family_keys, updated_at = now()
       WHERE (linkage_record.person_id, linkage_record.features::text, linkage_record.blocking_keys, linkage_record.family_keys)
         IS DISTINCT FROM (EXCLUDED.person_id, EXCLUDED.features::text, EXCLUDED.blocking_keys, EXCLUDED.family_keys)`,
    );
    if (rebuild) {
      await rebuild.built;
      await m.query(`SELECT linkage_keys_swap()`);
      if (rebuild.records) {
        await rebuild.records;
        await m.query(`SELECT linkage_records_swap()`);
      }
      await m.query(`SELECT linkage_indexes_finish()`);
    }
  }

  /**
   * Families in use, with their reasons; created, revived or updated only where they differ. In id order,
   * so the primary key's pages fill one after another (680,000 persons: 4.1 s against 6.6 s at random).
   */
  async writeFamilies(m: EntityManager, families: readonly { id: string; reasons: readonly string[] }[]) {
    await throughTemporaryTable(
      m,
      `linkage_batch_family (id uuid, reasons text[])`,
      (function* () {
        for (const f of families) yield `${f.id}\t${copyTextField(textArrayLiteral(f.reasons))}\n`;
      })(),
      `INSERT INTO family (id, reasons) SELECT id, reasons FROM linkage_batch_family ORDER BY id
       ON CONFLICT (id) DO UPDATE SET reasons = EXCLUDED.reasons, status = 'active', merged_into = NULL
       WHERE (family.reasons, family.status, family.merged_into) IS DISTINCT FROM (EXCLUDED.reasons, 'active', NULL::uuid)`,
    );
  }

  /** Persons in use, each with its family; created, revived or moved only where they differ (in id order). */
  async writePersons(m: EntityManager, persons: readonly { id: string; family: string }[]) {
    await throughTemporaryTable(
      m,
      `linkage_batch_person (id uuid, family uuid)`,
      (function* () {
        for (const p of persons) yield `${p.id}\t${p.family}\n`;
      })(),
      `INSERT INTO linked_person (id, family_id) SELECT id, family FROM linkage_batch_person ORDER BY id
       ON CONFLICT (id) DO UPDATE SET family_id = EXCLUDED.family_id, status = 'active', merged_into = NULL
       WHERE (linked_person.family_id, linked_person.status, linked_person.merged_into)
         IS DISTINCT FROM (EXCLUDED.family_id, 'active', NULL::uuid)`,
    );
  }

  /** Persons or families no longer in use: `merged` into another, or `empty`; a retired person has no family. */
  async retire(m: EntityManager, table: 'linked_person' | 'family', retired: readonly Retired[]) {
    const familyReset = table === 'linked_person' ? ', family_id = NULL' : '';
    for (const chunk of chunks(retired)) {
      await m.query(
        `UPDATE ${table} t SET status = CASE WHEN v.target IS NULL THEN 'empty' ELSE 'merged' END,
           merged_into = v.target${familyReset}
         FROM unnest($1::uuid[], $2::uuid[]) AS v(id, target) WHERE t.id = v.id`,
        [chunk.map((r) => r.id), chunk.map((r) => r.into)],
      );
    }
  }
}

/** The MD5 of a text's UTF-8 bytes as a uuid, as PostgreSQL's `md5(text)::uuid` answers it. */
export const md5Uuid = (text: string): string =>
  createHash('md5')
    .update(text, 'utf8')
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/**
 * Rows streamed by COPY into a temporary table (`definition`: its name and columns), then written by one
 * statement (`write`): COPY is the fastest way in, but cannot write a table with
 * row-level security, and cannot upsert.
 */
async function throughTemporaryTable(
  m: EntityManager,
  definition: string,
  lines: Iterable<string | Uint8Array>,
  write: string,
): Promise<void> {
  const name = definition.slice(0, definition.indexOf(' '));
  await m.query(`CREATE TEMPORARY TABLE ${definition} ON COMMIT DROP`);
  await copyInto(m, `COPY ${name} FROM STDIN`, lines);
  await m.query(write);
  await m.query(`DROP TABLE ${name}`);
}

/**
 * Streams lines (or buffers of whole lines) into `COPY ... FROM STDIN` on the manager's connection,
 * inside its transaction.
 */
async function copyInto(m: EntityManager, sql: string, lines: Iterable<string | Uint8Array>): Promise<void> {
  const client = (await m.queryRunner!.connect()) as PoolClient;
  const stream = client.query(copyFrom(sql));
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => undefined);
  let buffer = '';
  const send = async (chunk: string | Uint8Array) => {
    if (!stream.write(chunk)) await Promise.race([new Promise((r) => stream.once('drain', r)), failed]);
  };
  for (const line of lines) {
    if (typeof line !== 'string') {
      if (buffer) await send(buffer);
      buffer = '';
      await send(line);
      continue;
    }
    buffer += line;
    if (buffer.length < 1 << 16) continue;
    await send(buffer);
    buffer = '';
  }
  await Promise.race([
    new Promise<void>((resolve, reject) =>
      stream.end(buffer, (error?: Error | null) => (error ? reject(error) : resolve())),
    ),
    failed,
  ]);
}

/** Index rows as COPY text (see IndexLine): a million, written into buffers as bytes, not joined as strings. */
const indexLines = (rows: Iterable<IndexLine>) =>
  inCopyBuffers(rows, (out, r) => {
    out.text(`${r.id}\t${copyTextField(r.agency)}\t`);
    out.bytes(r.row);
    out.text(`\t${r.personId}\n`);
  });

/**
 * Work on a connection of its own, in a transaction of its own, beside the caller's: `start` is waited
 * for; `rest` is not, and the answer settles once it has run and the transaction committed. On a failure
 * the transaction rolls back; the connection is let go either way.
 */
async function besideTransaction(
  m: EntityManager,
  start: (beside: EntityManager) => Promise<unknown>,
  rest: (beside: EntityManager) => Promise<unknown>,
): Promise<{ finished: Promise<void> }> {
  const runner = m.connection.createQueryRunner();
  await runner.connect();
  const run = async (work: () => Promise<unknown>, last: boolean): Promise<void> => {
    let done = false;
    try {
      await work();
      done = true;
    } finally {
      if (!done) await runner.rollbackTransaction().catch(() => undefined);
      if (!done || last) await runner.release();
    }
  };
  await run(async () => {
    await runner.startTransaction();
    await start(runner.manager);
  }, false);
  const finished = run(async () => {
    await rest(runner.manager);
    await runner.commitTransaction();
  }, true);
  finished.catch(() => undefined); // awaited by the caller; a failure is reported there
  // In an object: an async function's answer would wait for a promise it resolves to.
  return { finished };
}
