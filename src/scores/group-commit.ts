interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Commits every item submitted during one turn of the event loop in a single transaction, and settles
 * each caller only after that commit returned. One commit runs at a time: what arrives meanwhile waits
 * and goes into the next batch. With SQLite's synchronous driver each commit (and its fsync) blocks the
 * loop, so sharing one commit between concurrent writers is what keeps writes cheap without
 * acknowledging anything that is not yet durable; over a network engine a batch is one transaction
 * (a few round trips) however many scores it holds.
 */
export class GroupCommit<T, R> {
  private pending: Pending<T, R>[] = [];
  private scheduled = false;
  private running?: Promise<void>;

  /** `commit` writes all items atomically and returns one result per item, in order; or throws. */
  constructor(private readonly commit: (items: readonly T[]) => Promise<R[]> | R[]) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Commits whatever is waiting now (or joins the commit in flight). The commit starts synchronously
   * within this call: a synchronous engine has written the batch before `flush` returns.
   */
  flush(): Promise<void> {
    this.scheduled = false;
    if (this.running) return this.running;
    const batch = this.pending;
    if (batch.length === 0) return Promise.resolve();
    this.pending = [];
    this.running = this.run(batch).finally(() => {
      this.running = undefined;
      if (this.pending.length > 0) this.schedule();
    });
    return this.running;
  }

  /** Resolves once nothing is waiting or being committed: before the database closes. */
  async drain(): Promise<void> {
    while (this.running || this.pending.length > 0) await (this.running ?? this.flush());
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private async run(batch: Pending<T, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.commit(batch.map((entry) => entry.item));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, index) => entry.resolve(results[index] as R));
  }
}
