import { type Decision, GovernanceEngine } from '@joinedup/governance';
import { identityMatchingAgreement } from '@joinedup/testing';
import { answerKey, decideBatchGate, PAIRS_PER_GROUP } from './batch-gate.js';

const allow: Decision = {
  decision: 'allow',
  categories: ['identity'],
  withheld: [],
  fields: null,
  reasons: ['identity matching under dsa-identity v1'],
  agreement: { id: 'dsa-identity', version: 1 } as Decision['agreement'],
  consentRef: null,
};

describe('the batch governance gate', () => {
  it('keys answers apart by everything a decision row records', () => {
    const variants: [string, string, Decision][] = [
      ['a', 'b', allow],
      ['b', 'a', allow],
      ['a', 'b', { ...allow, decision: 'deny' }],
      ['a', 'b', { ...allow, agreement: null }],
      ['a', 'b', { ...allow, agreement: { id: 'dsa-identity', version: 2 } as Decision['agreement'] }],
      ['a', 'b', { ...allow, consentRef: 'consent-1' }],
      ['a', 'b', { ...allow, categories: [] }],
      ['a', 'b', { ...allow, fields: [] }],
      ['a', 'b', { ...allow, fields: ['name'] }],
      ['a', 'b', { ...allow, reasons: ['another reason'] }],
      ['a', 'b', { ...allow, reasons: [...allow.reasons, 'another reason'] }],
    ];
    const keys = variants.map(([from, to, d]) => answerKey(from, to, d));
    expect(new Set(keys).size).toBe(variants.length);
    expect(answerKey('a', 'b', { ...allow, reasons: [...allow.reasons] })).toBe(keys[0]);
  });

  it('answers each pair both ways and names every ref under the answer it got, in groups of at most PAIRS_PER_GROUP', () => {
    const engine = GovernanceEngine.create([identityMatchingAgreement(['csc', 'health'])]);
    const pairs = Array.from({ length: 2 * PAIRS_PER_GROUP + 10 }, (_, i) =>
      i % 2 === 0
        ? { x: 'csc', y: 'health', subject: [`csc/${i}`, `health/${i}`] }
        : { x: 'csc', y: 'police', subject: [`csc/${i}`, `police/${i}`] },
    );
    const gate = decideBatchGate(engine, pairs, new Date('2026-06-01'));
    expect(gate.answers).toEqual(pairs.map((p) => p.y === 'health'));
    expect(gate.groups.reduce((n, g) => n + g.pairs, 0)).toBe(2 * pairs.length);
    expect(Math.max(...gate.groups.map((g) => g.pairs))).toBe(PAIRS_PER_GROUP);
    for (const g of gate.groups) {
      const covered = pairs.filter(
        (p) => [p.x, p.y].includes(g.request.fromAgency) && [p.x, p.y].includes(g.request.toAgency),
      );
      const allowed = covered[0]!.y === 'health';
      expect(g.decision.decision).toBe(allowed ? 'allow' : 'deny');
      for (const ref of g.request.subject) expect(covered.some((p) => p.subject.includes(ref))).toBe(true);
    }
    // Every ref of every pair is named in each direction's groups.
    for (const p of pairs)
      for (const [from, to] of [
        [p.x, p.y],
        [p.y, p.x],
      ])
        expect(
          gate.groups.some(
            (g) =>
              g.request.fromAgency === from && g.request.toAgency === to && g.request.subject.includes(p.subject[0]!),
          ),
        ).toBe(true);
  });
});
