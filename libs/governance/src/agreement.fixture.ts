import type { Agreement } from './agreement.js';

/** Test-only builders (not exported from the lib): one active police <-> children's services agreement. */

export const CSC = 'leeds-csc';
export const POLICE = 'leeds-police';
export const HEALTH = 'leeds-health';

export const at = (iso: string): Date => new Date(`${iso}T12:00:00Z`);

export function anAgreement(overrides: Partial<Agreement> = {}): Agreement {
  return {
    id: 'dsa-early-help',
    version: 4,
    title: 'Early help information sharing',
    parties: [CSC, POLICE],
    purposes: ['case-coordination', 'safeguarding'],
    flows: [
      { from: POLICE, to: CSC, categories: ['identity', 'address', 'involvement', 'criminal-offence'] },
      { from: CSC, to: POLICE, categories: ['identity', 'involvement'] },
    ],
    lawfulBasis: {
      article6: 'public-task',
      schedule1: 'safeguarding-children-and-individuals-at-risk',
      gateway: 'Children Act 2004 s10',
    },
    consentRule: 'not-required',
    validFrom: at('2025-01-01'),
    validTo: at('2026-01-01'),
    reviewDate: at('2025-10-01'),
    dpiaReference: 'DPIA-2024-017',
    status: 'active',
    approvals: [{ agency: POLICE, by: 'ig-police-1', at: at('2024-12-20') }],
    author: { person: 'ig-csc-1', agency: CSC },
    change: { by: 'ig-csc-1', at: at('2024-12-21'), description: 'activated' },
    ...overrides,
  };
}
