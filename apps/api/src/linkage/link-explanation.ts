import { explainPair, type ComparisonScore } from '@joinedup/linkage';
import type { StoredLink } from '@joinedup/persistence';

const GOVERNANCE_WORDS: Record<StoredLink['governance'], string> = {
  'same-agency': 'both records are held by one agency',
  allowed: 'identity matching between the two agencies is allowed by an active agreement',
  denied: 'no agreement allows identity matching between the two agencies, so they are not linked',
};

/** A stored link in plain words and with the numbers: each comparison's level and weight. */
export function explainLink(link: StoredLink, refs: ReadonlyMap<string, string>) {
  const comparisons = link.comparisons as unknown as ComparisonScore[];
  return {
    a: refs.get(link.a) ?? link.a,
    b: refs.get(link.b) ?? link.b,
    recordIds: [link.a, link.b],
    probability: Number(link.probability.toFixed(4)),
    decision: link.governance === 'denied' ? 'not linked (governance)' : link.decision,
    explanation: `${explainPair({ weight: 0, probability: link.probability, swapped: false, comparisons })}; ${GOVERNANCE_WORDS[link.governance]}`,
    comparisons: comparisons
      .filter((c) => c.level >= 0)
      .map((c) => ({ comparison: c.name, level: c.level, label: c.label, weight: c.weight })),
    modelVersion: link.modelVersion,
  };
}
