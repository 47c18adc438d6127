interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Commits every item submitted during one turn of the event loop in a single transaction, and settles
 * each caller only after that commit returned. With a synchronous SQLite driver each commit (and its
 * fsync) blocks the loop, so sharing one commit between concurrent writers is what keeps writes cheap
 * without acknowledging anything that is not yet durable.
 */
export class GroupCommit<T, R> {
  private pending: Pending<T, R>[] = [];
  private scheduled = false;

  /** `commit` writes all items atomically and returns one result per item, in order; or throws. */
  constructor(private readonly commit: (items: readonly T[]) => R[]) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits whatever is waiting now; called by the scheduler and before shutdown. */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let results: R[];
    try {
      results = this.commit(batch.map((entry) => entry.item));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, index) => entry.resolve(results[index] as R));
  }
}
