import type { Agreement } from '@joinedup/governance';

/** An active agreement letting every listed agency match identities with every other (tests, benchmarks). */
export function identityMatchingAgreement(agencies: readonly string[]): Agreement {
  return {
    id: 'dsa-identity',
    version: 1,
    title: 'Identity matching across the place',
    parties: [...agencies],
    purposes: ['identity-matching'],
    flows: agencies.flatMap((from) =>
      agencies.filter((to) => to !== from).map((to) => ({ from, to, categories: ['identity' as const] })),
    ),
    lawfulBasis: { article6: 'public-task', gateway: 'Children Act 2004 s10' },
    consentRule: 'not-required',
    validFrom: new Date('2026-01-01'),
    validTo: new Date('2027-12-31'),
    reviewDate: new Date('2027-06-01'),
    dpiaReference: 'DPIA-TEST',
    status: 'active',
    approvals: [],
    author: { person: 'ig-1', agency: agencies[0]! },
    change: { by: 'ig-1', at: new Date('2026-01-01'), description: 'activated' },
  } as Agreement;
}
