import type { PairScore } from './scoring.js';

/** A pair's score in plain words: the evidence that mattered, strongest first. */
export function explainPair(score: PairScore): string {
  const notable = score.comparisons
    .filter((c) => c.level >= 0 && Math.abs(c.weight) >= 1)
    .sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight))
    .map((c) => c.label);
  if (score.swapped) notable.push('given and family names recorded the other way round');
  const verdict = score.probability >= 0.5 ? 'likely the same person' : 'likely different people';
  return `${verdict} (match probability ${score.probability.toFixed(3)}): ${notable.join('; ') || 'little evidence either way'}`;
}
