/**
 * Group commit: work submitted while a group runs waits and goes in the next group, so under load many
 * items share one transaction and when idle each item runs at once, alone. If a group fails, its items
 * run one by one, so one bad item fails only its own job.
 */
export class GroupCommit<T, R> {
  private readonly waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly run: (items: T[]) => Promise<R>,
    private readonly maxGroup: number,
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
        const group = this.waiting.splice(0, this.maxGroup);
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
}
