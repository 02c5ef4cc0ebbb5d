import { familiesByKeys } from './families.js';

describe('familiesByKeys', () => {
  it('joins persons through chains of shared keys and says why', () => {
    const families = familiesByKeys(
      new Map([
        ['p1', ['household:csc/h1']],
        ['p2', ['household:csc/h1', 'uprn:100']],
        ['p3', ['uprn:100']],
        ['p4', ['household:police/x9']],
        ['p5', []],
      ]),
    );
    const sorted = families
      .map((f) => ({ persons: [...f.persons].sort(), reasons: f.reasons }))
      .sort((a, b) => (a.persons[0]! < b.persons[0]! ? -1 : 1));
    expect(sorted).toEqual([
      {
        persons: ['p1', 'p2', 'p3'],
        reasons: ['living at the same property (UPRN)', 'recorded in one household by csc'],
      },
      { persons: ['p4'], reasons: ['recorded in one household by police'] },
      { persons: ['p5'], reasons: [] },
    ]);
  });

  it('gives families in the order of their first person, persons in the order given with their positions, one reason per agency', () => {
    const families = familiesByKeys(
      new Map([
        ['q9', ['uprn:7']],
        ['q1', ['household:csc/a']],
        ['q5', ['uprn:7', 'household:csc/b']],
        ['q2', ['household:csc/a', 'household:csc/c']],
      ]),
    );
    expect(families).toEqual([
      {
        persons: ['q9', 'q5'],
        positions: [0, 2],
        reasons: ['living at the same property (UPRN)', 'recorded in one household by csc'],
      },
      { persons: ['q1', 'q2'], positions: [1, 3], reasons: ['recorded in one household by csc'] },
    ]);
  });

  it('handles long chains without deep recursion', () => {
    const keysOf = new Map<string, string[]>();
    for (let i = 0; i < 200_000; i += 1) keysOf.set(`p${i}`, [`uprn:${i}`, `uprn:${i + 1}`]);
    const families = familiesByKeys(keysOf);
    expect(families).toHaveLength(1);
    expect(families[0]!.persons).toHaveLength(200_000);
  });
});
