import type { Agreement } from './agreement.js';
import { flowCandidates, type FlowCandidate } from './flow-rules.js';

export const flowKey = (purpose: string, from: string, to: string): string => `${purpose}\u0000${from}\u0000${to}`;
const pairKey = (from: string, to: string): string => `${from}\u0000${to}`;

/**
 * The latest version of every agreement, indexed by (purpose, from, to) so a decision is one map
 * lookup however large the register grows. Every status is indexed: only active agreements allow,
 * but the others explain a deny. Immutable; `with` copies only what a change touches.
 */
export class AgreementIndex {
  private constructor(
    private readonly latest: ReadonlyMap<string, Agreement>,
    private readonly byKey: ReadonlyMap<string, readonly FlowCandidate[]>,
    /** How many candidates cover each purpose per direction, to explain a deny an IG officer can act on. */
    private readonly purposesByPair: ReadonlyMap<string, ReadonlyMap<string, number>>,
  ) {}

  static empty(): AgreementIndex {
    return new AgreementIndex(new Map(), new Map(), new Map());
  }

  static of(agreements: readonly Agreement[]): AgreementIndex {
    return AgreementIndex.empty().with(agreements);
  }

  /** A new index where these versions replace older versions of the same ids; older versions are ignored. */
  with(versions: readonly Agreement[]): AgreementIndex {
    const changed = new Map<string, Agreement>();
    for (const a of versions) {
      const known = changed.get(a.id) ?? this.latest.get(a.id);
      if (!known || known.version < a.version) changed.set(a.id, a);
    }
    if (changed.size === 0) return this;

    const latest = new Map(this.latest);
    const byKey = new Map(this.byKey);
    const purposesByPair = new Map(this.purposesByPair);
    // Lists and counts shared with this index are copied once before their first change.
    const copiedKeys = new Set<string>();
    const copiedPairs = new Set<string>();
    const listFor = (key: string): FlowCandidate[] => {
      if (!copiedKeys.has(key)) {
        copiedKeys.add(key);
        byKey.set(key, [...(byKey.get(key) ?? [])]);
      }
      return byKey.get(key) as FlowCandidate[];
    };
    const countPurpose = (c: FlowCandidate, delta: number): void => {
      const pair = pairKey(c.flow.from, c.flow.to);
      if (!copiedPairs.has(pair)) {
        copiedPairs.add(pair);
        purposesByPair.set(pair, new Map(purposesByPair.get(pair)));
      }
      const counts = purposesByPair.get(pair) as Map<string, number>;
      const n = (counts.get(c.purpose) ?? 0) + delta;
      if (n > 0) counts.set(c.purpose, n);
      else counts.delete(c.purpose);
    };

    for (const [id, a] of changed) {
      const old = latest.get(id);
      if (old) {
        for (const c of flowCandidates(old)) {
          const key = flowKey(c.purpose, c.flow.from, c.flow.to);
          const list = listFor(key);
          for (let i = list.length - 1; i >= 0; i -= 1) if (list[i]!.agreement.id === id) list.splice(i, 1);
          countPurpose(c, -1);
        }
      }
      latest.set(id, a);
      for (const c of flowCandidates(a)) {
        listFor(flowKey(c.purpose, c.flow.from, c.flow.to)).push(c);
        countPurpose(c, +1);
      }
    }
    for (const key of copiedKeys) if (byKey.get(key)?.length === 0) byKey.delete(key);
    for (const pair of copiedPairs) if (purposesByPair.get(pair)?.size === 0) purposesByPair.delete(pair);
    return new AgreementIndex(latest, byKey, purposesByPair);
  }

  candidates(purpose: string, from: string, to: string): readonly FlowCandidate[] | undefined {
    return this.byKey.get(flowKey(purpose, from, to));
  }

  /** Purposes any agreement (in any status) covers from `from` to `to`, sorted. */
  purposesBetween(from: string, to: string): string[] {
    return [...(this.purposesByPair.get(pairKey(from, to))?.keys() ?? [])].sort();
  }

  agreement(id: string): Agreement | undefined {
    return this.latest.get(id);
  }

  get size(): number {
    return this.latest.size;
  }
}
