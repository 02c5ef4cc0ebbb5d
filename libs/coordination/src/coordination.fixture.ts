import type { AgencyInvolvement, FamilySnapshot, Worker } from './family.js';

/** A small family for scenario specs: a mother and her son, known to children's services, health and the police. */
export function involvement(
  agency: string,
  sector: AgencyInvolvement['sector'],
  more: Partial<AgencyInvolvement> = {},
): AgencyInvolvement {
  return { agency, sector, open: true, workerIds: [], needs: [], ...more };
}

export function family(): FamilySnapshot {
  return {
    familyId: 'fam-1',
    persons: [
      {
        personId: 'p-mum',
        role: 'parent',
        involvements: [
          involvement('leeds-health', 'health', { workerIds: ['hana'], needs: ['mental-health'] }),
          involvement('leeds-csc', 'children-social-care', { workerIds: ['ann'], needs: ['domestic-abuse'] }),
        ],
      },
      {
        personId: 'p-son',
        role: 'child',
        involvements: [
          involvement('leeds-csc', 'children-social-care', {
            workerIds: ['ann', 'bob', 'cat'],
            needs: ['child-protection'],
          }),
          involvement('leeds-school', 'education', { workerIds: ['sam'], needs: ['school-attendance'] }),
        ],
      },
    ],
  };
}

export function worker(id: string, agency: string, more: Partial<Worker> = {}): Worker {
  return { id, agency, team: 'north', caseload: 10, capacity: 20, available: true, ...more };
}

export function workers(): Worker[] {
  return [
    worker('ann', 'leeds-csc', { name: 'Ann Able', caseload: 18 }),
    worker('bob', 'leeds-csc', { name: 'Bob Brown', caseload: 5 }),
    worker('cat', 'leeds-csc', { name: 'Cat Cole', caseload: 10 }),
    worker('hana', 'leeds-health', { name: 'Hana Hill' }),
    worker('sam', 'leeds-school', { name: 'Sam Stone' }),
    worker('jo', 'leeds-school', { name: 'Jo Bloggs' }),
  ];
}
