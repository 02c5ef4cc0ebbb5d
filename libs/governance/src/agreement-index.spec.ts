import { Rng } from '@joinedup/core';
import type { Agreement } from './agreement.js';
import { CSC, HEALTH, POLICE, anAgreement, at } from './agreement.fixture.js';
import { AgreementIndex } from './agreement-index.js';
import { GovernanceEngine, type DecisionRequest } from './governance-engine.js';

describe('agreement index', () => {
  it('replaces an agreement’s flows with those of its newer version and leaves the old index alone', () => {
    const v4 = anAgreement();
    const v5 = anAgreement({
      version: 5,
      parties: [CSC, HEALTH],
      flows: [{ from: HEALTH, to: CSC, categories: ['identity'] }],
    });
    const before = AgreementIndex.of([v4]);
    const after = before.with([v5]);
    expect(after.candidates('safeguarding', POLICE, CSC)).toBeUndefined();
    expect(after.candidates('safeguarding', HEALTH, CSC)?.map((c) => c.agreement.version)).toEqual([5]);
    expect(after.purposesBetween(POLICE, CSC)).toEqual([]);
    expect(after.purposesBetween(HEALTH, CSC)).toEqual(['case-coordination', 'safeguarding']);
    expect(before.candidates('safeguarding', POLICE, CSC)).toHaveLength(1);
    expect(before.with([anAgreement({ version: 3 })])).toBe(before);
  });

  it('answers the same after many small updates as an index built from scratch', () => {
    const rng = new Rng(7);
    const agencies = ['a', 'b', 'c', 'd', 'e'];
    const purposes = ['safeguarding', 'case-coordination'];
    const random = (id: string, version: number): Agreement => {
      const from = rng.pick(agencies);
      const to = rng.pick(agencies.filter((x) => x !== from));
      return anAgreement({
        id,
        version,
        parties: [from, to],
        purposes: [rng.pick(purposes)],
        flows: [{ from, to, categories: rng.chance(0.5) ? ['identity'] : ['identity', 'address'] }],
        status: rng.pick(['active', 'suspended', 'draft'] as const),
      });
    };
    let incremental = GovernanceEngine.create([]);
    const all: Agreement[] = [];
    for (let step = 0; step < 300; step += 1) {
      const a = random(`dsa-${rng.int(0, 30)}`, step + 1);
      all.push(a);
      incremental = incremental.withAgreements([a]);
    }
    const rebuilt = GovernanceEngine.create(all);
    for (let i = 0; i < 500; i += 1) {
      const request: DecisionRequest = {
        purpose: rng.pick(purposes),
        fromAgency: rng.pick(agencies),
        toAgency: rng.pick(agencies),
        subject: 'p',
        categories: ['identity', 'address'],
        at: at('2025-06-01'),
      };
      expect(incremental.decide(request)).toEqual(rebuilt.decide(request));
    }
  });
});
