import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  it('runs the first item at once and groups what arrives while a group runs', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const commit = new GroupCommit<number, string>(async (items) => {
      groups.push(items);
      if (groups.length === 1) await first;
      return `group of ${items.length}`;
    }, 3);
    const answers = [1, 2, 3, 4, 5].map((n) => commit.submit(n));
    release();
    expect(await Promise.all(answers)).toEqual(['group of 1', 'group of 3', 'group of 3', 'group of 3', 'group of 1']);
    expect(groups).toEqual([[1], [2, 3, 4], [5]]);
  });

  it('when a group fails, runs its items alone so only the bad one fails', async () => {
    const commit = new GroupCommit<number, number>(async (items) => {
      if (items.includes(3)) throw new Error(`bad item in ${items.length}`);
      return items.length;
    }, 10);
    // The first group runs alone; 2, 3 and 4 arrive while it runs and go together.
    const held = commit.submit(1);
    const results = [2, 3, 4].map((n) => commit.submit(n).then(String, (e: Error) => e.message));
    expect(await held).toBe(1);
    expect(await Promise.all(results)).toEqual(['1', 'bad item in 1', '1']);
  });

  it('keeps out of a group what admit refuses, in order, for the next group', async () => {
    const groups: string[][] = [];
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    // Items are "key:n"; two items with one key never share a group, and none overtakes one of its key.
    const keyOf = (item: string) => item.split(':')[0]!;
    const commit = new GroupCommit<string, number>(
      async (items) => {
        groups.push(items);
        if (groups.length === 1) await first;
        return items.length;
      },
      10,
      (item, taken, skipped) => ![...taken, ...skipped].some((other) => keyOf(other) === keyOf(item)),
    );
    const answers = ['a:1', 'a:2', 'b:1', 'a:3', 'c:1', 'b:2'].map((item) => commit.submit(item));
    release();
    await Promise.all(answers);
    expect(groups).toEqual([['a:1'], ['a:2', 'b:1', 'c:1'], ['a:3', 'b:2']]);
  });
});
