/** A scored candidate pair, by record index. */
export interface ScoredLink {
  a: number;
  b: number;
  probability: number;
}

export interface HumanDecision {
  a: number;
  b: number;
  decision: 'must-link' | 'cannot-link';
}

export interface ClusterOptions {
  link: number;
  review: number;
  /** Share of cross pairs that must be links for two multi-record clusters to merge. */
  minDensity?: number;
}

/**
 * Links -> persons, strongest links first. Two clusters merge only if the links between them outweigh
 * the scored non-links and cover enough of their cross pairs, so one weak bridge cannot chain two strong
 * clusters together. Human decisions win: must-link pairs are joined first, cannot-link pairs never end
 * up in one person. Returns a cluster index per record, numbered in record order (deterministic).
 */
export function clusterPersons(
  n: number,
  links: readonly ScoredLink[],
  options: ClusterOptions,
  decisions: readonly HumanDecision[] = [],
): Int32Array {
  const minDensity = options.minDensity ?? 0.3;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const members = new Map<number, number[]>();
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const membersOf = (root: number): number[] => members.get(root) ?? [root];
  const union = (ra: number, rb: number): void => {
    const [big, small] = membersOf(ra).length >= membersOf(rb).length ? [ra, rb] : [rb, ra];
    parent[small] = big;
    members.set(big, [...membersOf(big), ...membersOf(small)]);
    members.delete(small);
  };

  const score = new Map<number, number>();
  const key = (x: number, y: number) => (x < y ? x * n + y : y * n + x);
  for (const l of links) score.set(key(l.a, l.b), l.probability);
  const forbidden = new Map<number, Set<number>>();
  for (const d of decisions) {
    if (d.decision !== 'cannot-link') continue;
    forbidden.set(d.a, (forbidden.get(d.a) ?? new Set()).add(d.b));
    forbidden.set(d.b, (forbidden.get(d.b) ?? new Set()).add(d.a));
  }
  const blocked = (ra: number, rb: number): boolean => {
    const other = new Set(membersOf(rb));
    return membersOf(ra).some((x) => [...(forbidden.get(x) ?? [])].some((y) => other.has(y)));
  };

  for (const d of decisions) {
    if (d.decision !== 'must-link') continue;
    const ra = find(d.a);
    const rb = find(d.b);
    if (ra !== rb && !blocked(ra, rb)) union(ra, rb);
  }

  const strong = links
    .filter((l) => l.probability >= options.link)
    .sort((x, y) => y.probability - x.probability || x.a - y.a || x.b - y.b);
  for (const l of strong) {
    const ra = find(l.a);
    const rb = find(l.b);
    if (ra === rb || blocked(ra, rb)) continue;
    const A = membersOf(ra);
    const B = membersOf(rb);
    if (A.length > 1 || B.length > 1) {
      let positive = 0;
      let negative = 0;
      for (const x of A) {
        for (const y of B) {
          const p = score.get(key(x, y));
          if (p === undefined) continue;
          if (p >= options.link) positive += 1;
          else if (p < options.review) negative += 1;
        }
      }
      if (positive <= negative || positive < minDensity * A.length * B.length) continue;
    }
    union(ra, rb);
  }

  const clusterOf = new Int32Array(n);
  const numbering = new Map<number, number>();
  for (let i = 0; i < n; i += 1) {
    const root = find(i);
    let id = numbering.get(root);
    if (id === undefined) {
      id = numbering.size;
      numbering.set(root, id);
    }
    clusterOf[i] = id;
  }
  return clusterOf;
}
