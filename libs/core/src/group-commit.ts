/**
 * Group commit: work submitted while a group runs waits and goes in the next group, so under load many
 * items share one transaction and when idle each item runs at once, alone. If a group fails, its items
 * run one by one, so one bad item fails only its own job. `admit` may keep an item out of a group (it
 * waits, in order, for the next one): for items that must not share a transaction. It sees what the
 * group took and what waits ahead of the item, so an item need not overtake one it must follow.
 */
export class GroupCommit<T, R> {
  private readonly waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R>,
    private readonly maxGroup: number,
    private readonly admit?: (item: T, taken: readonly T[], skipped: readonly T[]) => boolean,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.take();
        try {
          const result = await this.run(group.map((g) => g.item));
          for (const g of group) g.resolve(result);
        } catch (error) {
          if (group.length === 1) group[0]!.reject(error);
          else
            for (const g of group)
              await this.run([g.item]).then(
                (r) => g.resolve(r),
                (e: unknown) => g.reject(e),
              );
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** The next group: waiting items in order, up to the limit, without those `admit` keeps out. */
  private take(): typeof this.waiting {
    if (!this.admit) return this.waiting.splice(0, this.maxGroup);
    const group: typeof this.waiting = [];
    const left: typeof this.waiting = [];
    const taken: T[] = [];
    const skipped: T[] = [];
    for (const entry of this.waiting) {
      // The first always goes, so a group is never empty.
      if (taken.length === 0 || (taken.length < this.maxGroup && this.admit(entry.item, taken, skipped))) {
        group.push(entry);
        taken.push(entry.item);
      } else {
        left.push(entry);
        skipped.push(entry.item);
      }
    }
    this.waiting.splice(0, this.waiting.length, ...left);
    return group;
  }
}
