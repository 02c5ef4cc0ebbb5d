import { assignStableIds } from '@joinedup/linkage';

const counter = () => {
  let n = 0;
  return () => `new-${(n += 1)}`;
};
const age = (id: string) => Number(id.replace(/\D/g, '')) || 0;

describe('stable ids', () => {
  it('a person keeps its id when a record joins it', () => {
    const previous = new Map([
      ['r1', 'p1'],
      ['r2', 'p1'],
    ]);
    const answer = assignStableIds([['r1', 'r2', 'r3']], previous, age, counter());
    expect(answer).toEqual({ ids: ['p1'], merges: [], splits: [], created: [] });
  });

  it('a merge keeps the older id and records what it absorbed', () => {
    const previous = new Map([
      ['r1', 'p7'],
      ['r2', 'p3'],
    ]);
    const answer = assignStableIds([['r1', 'r2']], previous, age, counter());
    expect(answer.ids).toEqual(['p3']);
    expect(answer.merges).toEqual([{ into: 'p3', from: ['p7'] }]);
  });

  it('a split leaves the id with the biggest part and says where the others came from', () => {
    const previous = new Map([
      ['r1', 'p1'],
      ['r2', 'p1'],
      ['r3', 'p1'],
    ]);
    const answer = assignStableIds([['r3'], ['r1', 'r2']], previous, age, counter());
    expect(answer.ids).toEqual(['new-1', 'p1']);
    expect(answer.splits).toEqual([{ from: 'p1', into: ['new-1'] }]);
    expect(answer.created).toEqual(['new-1']);
  });

  it('a record that leaves takes nothing with it: the rest keep the id', () => {
    const previous = new Map([
      ['r1', 'p1'],
      ['r2', 'p1'],
    ]);
    expect(assignStableIds([['r2']], previous, age, counter()).ids).toEqual(['p1']);
  });
});
