import { clusterPersons, type ScoredLink } from './clustering.js';

const thresholds = { link: 0.9, review: 0.5 };
const clique = (ids: number[], p = 0.99): ScoredLink[] =>
  ids.flatMap((a, i) => ids.slice(i + 1).map((b) => ({ a, b, probability: p })));

describe('clustering', () => {
  it('joins records linked to each other into one person', () => {
    const persons = clusterPersons(4, clique([0, 1, 2]), thresholds);
    expect(persons[0]).toBe(persons[1]);
    expect(persons[1]).toBe(persons[2]);
    expect(persons[3]).not.toBe(persons[0]);
  });

  it('does not let one bridge chain two strong clusters together', () => {
    const links = [
      ...clique([0, 1, 2]),
      ...clique([3, 4, 5]),
      { a: 2, b: 3, probability: 0.95 }, // one link across
      ...[0, 1, 2]
        .flatMap((a) => [3, 4, 5].map((b) => ({ a, b, probability: 0.01 })))
        .filter((l) => !(l.a === 2 && l.b === 3)),
    ];
    const persons = clusterPersons(6, links, thresholds);
    expect(new Set([persons[0], persons[1], persons[2]]).size).toBe(1);
    expect(new Set([persons[3], persons[4], persons[5]]).size).toBe(1);
    expect(persons[2]).not.toBe(persons[3]);
  });

  it('still merges clusters whose records broadly agree', () => {
    const links = [
      ...clique([0, 1]),
      ...clique([2, 3]),
      { a: 1, b: 2, probability: 0.95 },
      { a: 0, b: 3, probability: 0.93 },
    ];
    const persons = clusterPersons(4, links, thresholds);
    expect(new Set(persons).size).toBe(1);
  });

  it('lets human decisions override the model', () => {
    const persons = clusterPersons(3, [{ a: 0, b: 1, probability: 0.99 }], thresholds, [
      { a: 0, b: 1, decision: 'cannot-link' },
      { a: 1, b: 2, decision: 'must-link' },
    ]);
    expect(persons[0]).not.toBe(persons[1]);
    expect(persons[1]).toBe(persons[2]);
  });

  it('numbers persons in record order, so the same input gives the same answer', () => {
    const persons = clusterPersons(4, clique([2, 3]), thresholds);
    expect([...persons]).toEqual([0, 1, 2, 2]);
  });
});
