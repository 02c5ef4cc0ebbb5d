import pg from 'pg';
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/zz_ix' });
await c.connect();
const recs = (await c.query(`SELECT source_record_id AS id, blocking_keys::text[] AS keys FROM linkage_record TABLESAMPLE SYSTEM (1) LIMIT 1000`)).rows;
const A = `WITH q AS MATERIALIZED (SELECT v.h, v.cap FROM unnest($1::bigint[], $2::int[]) AS v(h, cap)),
 wanted AS MATERIALIZED (SELECT array_agg(q.h) AS hs FROM q LEFT JOIN linkage_block b ON b.key = q.h WHERE coalesce(b.size,0) <= q.cap)
 SELECT lr.source_record_id, lr.person_id, lr.features, lr.family_keys FROM wanted w CROSS JOIN LATERAL (SELECT * FROM linkage_record WHERE blocking_keys && w.hs AND source_record_id <> $3) lr`;
const B = `WITH q AS MATERIALIZED (SELECT v.h, v.cap FROM unnest($1::bigint[], $2::int[]) AS v(h, cap)),
 hits AS MATERIALIZED (SELECT q.h, k.source_record_id, count(*) OVER (PARTITION BY q.h) AS n, q.cap FROM q
   CROSS JOIN LATERAL (SELECT source_record_id FROM linkage_key k WHERE k.key = q.h LIMIT q.cap + 1) k),
 ids AS (SELECT DISTINCT source_record_id FROM hits WHERE n <= cap AND source_record_id <> $3)
 SELECT lr.source_record_id, lr.person_id, lr.features, lr.family_keys FROM ids JOIN linkage_record lr USING (source_record_id)`;
for (const round of [1, 2]) for (const [name, sql] of [['gin', A], ['keys', B]] as const) {
  const t: number[] = []; let rows = 0;
  for (const r of recs) {
    const s = performance.now();
    const res = await c.query(sql, [r.keys, r.keys.map(() => 500), r.id]);
    t.push(performance.now() - s); rows += res.rowCount!;
  }
  t.sort((a, b) => a - b);
  console.log(round, name, 'p50', t[500]!.toFixed(2), 'p99', t[990]!.toFixed(2), 'rows', rows);
}
await c.end();
