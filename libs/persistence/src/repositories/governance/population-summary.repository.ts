import type { DataSource } from 'typeorm';
import type { PopulationCell, Purpose } from '@joinedup/governance';
import { withSystemScope } from '../../scope.js';

const has = (key: string, category: string): string =>
  `CASE WHEN jsonb_typeof(r.record->'${key}') = 'array' AND jsonb_array_length(r.record->'${key}') > 0
     OR jsonb_typeof(r.record->'${key}') = 'object' THEN ARRAY['${category}'] ELSE '{}'::text[] END`;

/**
 * Counts, per (from, to, purpose, consent state, category), of records at `from` about people also
 * known to `to`. Until linkage stores persons, "known to both" means sharing a national identifier
 * (NHS number, UPN, NI number). Consent is the latest record for any of the person's record refs,
 * ordered as the engine orders it (newest first, refusals first on a tie). Counts only leave the
 * database: no names, ids or records.
 */
const SUMMARY_SQL = `
WITH rec AS (
  SELECT r.agency_id AS agency, r.agency_id || '/' || r.external_id AS ref,
    ARRAY(SELECT (i->>'system') || ':' || (i->>'value')
          FROM jsonb_array_elements(COALESCE(r.record->'identifiers', '[]'::jsonb)) i
          WHERE i->>'system' <> 'local') AS ids,
    ARRAY(SELECT DISTINCT c FROM unnest(
      ARRAY['identity']::text[] || ${has('addresses', 'address')} || ${has('contacts', 'contact')}
      || ${has('household', 'household')} || ${has('involvement', 'involvement')} || ${has('needs', 'needs')}
      || ARRAY(SELECT jsonb_array_elements_text(COALESCE(r.record->'categories', '[]'::jsonb)))
    ) c) AS categories
  FROM source_record r
  WHERE r.status = 'active' AND r.agency_id = ANY($1)
),
shared AS (
  SELECT a.agency AS from_agency, b.agency AS to_agency, a.ref, a.categories, array_agg(b.ref) || a.ref AS refs
  FROM rec a JOIN rec b ON a.agency <> b.agency AND a.ids && b.ids
  GROUP BY a.agency, b.agency, a.ref, a.categories
),
consented AS (
  SELECT s.from_agency, s.to_agency, s.ref, s.categories, p.purpose, COALESCE(c.state, 'none') AS consent
  FROM shared s CROSS JOIN unnest($2::text[]) AS p(purpose)
  LEFT JOIN LATERAL (
    SELECT CASE WHEN cr.expires_at IS NOT NULL AND cr.expires_at <= $3 THEN 'none' ELSE cr.state END AS state
    FROM consent_record cr
    WHERE cr.subject_ids && s.refs AND cr.purpose = p.purpose AND cr.at <= $3
      AND (cr.scope IS NULL OR s.to_agency = ANY (cr.scope))
    ORDER BY cr.at DESC, (cr.state <> 'given') DESC, cr.id
    LIMIT 1
  ) c ON true
)
SELECT from_agency AS "from", to_agency AS "to", purpose, consent, category,
  count(DISTINCT ref)::int AS persons, count(*)::int AS records
FROM consented CROSS JOIN unnest(categories) AS category
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5`;

/** The anonymous population a simulation runs over, from live data. */
export class PopulationSummaryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async cells(agencies: readonly string[], purposes: readonly Purpose[], at: Date): Promise<PopulationCell[]> {
    if (agencies.length < 2 || purposes.length === 0) return [];
    // System scope: the counts span agencies; nothing but counts is returned.
    return withSystemScope(this.dataSource, (m) => m.query(SUMMARY_SQL, [agencies, purposes, at]));
  }
}
