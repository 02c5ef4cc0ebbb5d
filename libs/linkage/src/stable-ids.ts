/**
 * Stable ids for clusters that change: persons (clusters of records) and families (clusters of persons).
 * A cluster keeps the id most of its members already had; a merge keeps the oldest of the ids it
 * absorbs; a split leaves the id with its biggest part and gives the rest new ids, saying where each
 * came from. Pure: the caller passes the old ids, their ages and an id factory.
 */
export interface StableIdAnswer {
  /** Id for each new cluster, in the order given. */
  ids: string[];
  /** Ids that no longer exist because their members joined `into`. */
  merges: { into: string; from: string[] }[];
  /** Ids whose members now sit in several clusters: `from` kept by the biggest part, the others listed. */
  splits: { from: string; into: string[] }[];
  created: string[];
}

export function assignStableIds(
  clusters: readonly (readonly string[])[],
  previous: ReadonlyMap<string, string>,
  /** Smaller is older: a merge keeps the oldest id. */
  age: (id: string) => number,
  newId: () => string,
): StableIdAnswer {
  // A Map only where a member had an id: a first link of a place has none, for a million records.
  const none: ReadonlyMap<string, number> = new Map();
  const votes = clusters.map((members) => {
    let count: Map<string, number> | undefined;
    for (const m of members) {
      const old = previous.get(m);
      if (old) (count ??= new Map()).set(old, (count.get(old) ?? 0) + 1);
    }
    return count ?? none;
  });
  // Claims: (cluster, old id, members that had it). Most members first; ties to the older id, then order.
  const claims = votes.flatMap((count, c) => [...count].map(([id, n]) => ({ c, id, n })));
  claims.sort((x, y) => y.n - x.n || age(x.id) - age(y.id) || x.c - y.c || (x.id < y.id ? -1 : 1));
  const ids = new Array<string | null>(clusters.length).fill(null);
  const taken = new Set<string>();
  for (const { c, id } of claims) {
    if (ids[c] !== null || taken.has(id)) continue;
    ids[c] = id;
    taken.add(id);
  }
  const created: string[] = [];
  const final = ids.map((id) => {
    if (id) return id;
    const fresh = newId();
    created.push(fresh);
    return fresh;
  });
  const merges: StableIdAnswer['merges'] = [];
  const clustersOf = new Map<string, Set<string>>();
  votes.forEach((count, c) => {
    if (count.size === 0) return;
    const absorbed = [...count.keys()].filter((id) => !taken.has(id));
    if (absorbed.length > 0) merges.push({ into: final[c]!, from: absorbed.sort() });
    for (const id of count.keys()) {
      const set = clustersOf.get(id) ?? new Set<string>();
      set.add(final[c]!);
      clustersOf.set(id, set);
    }
  });
  const splits: StableIdAnswer['splits'] = [];
  for (const [id, into] of clustersOf) {
    if (into.size > 1 && taken.has(id)) splits.push({ from: id, into: [...into].filter((x) => x !== id).sort() });
  }
  return { ids: final, merges, splits, created };
}
