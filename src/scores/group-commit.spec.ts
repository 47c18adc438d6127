import { GroupCommit } from './group-commit.ts';

describe('GroupCommit', () => {
  it('commits everything submitted in one turn as one batch and answers each caller in order', async () => {
    const batches: number[][] = [];
    const queue = new GroupCommit<number, string>((items) => {
      batches.push([...items]);
      return items.map((n) => `ok ${n}`);
    });
    const results = await Promise.all([1, 2, 3].map((n) => queue.submit(n)));
    expect(results).toEqual(['ok 1', 'ok 2', 'ok 3']);
    expect(batches).toEqual([[1, 2, 3]]);
    await queue.submit(4);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('rejects every caller of a failed batch and carries on with the next', async () => {
    let fail = true;
    const queue = new GroupCommit<number, number>((items) => {
      if (fail) throw new Error('disk full');
      return [...items];
    });
    const outcomes = await Promise.allSettled([queue.submit(1), queue.submit(2)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(queue.submit(3)).resolves.toBe(3);
  });

  it('does not settle a caller before the commit has returned', async () => {
    const order: string[] = [];
    const queue = new GroupCommit<number, number>((items) => {
      order.push('commit');
      return [...items];
    });
    const pending = queue.submit(1).then(() => order.push('settled'));
    order.push('submitted');
    await pending;
    expect(order).toEqual(['submitted', 'commit', 'settled']);
  });
});

describe('GroupCommit over an asynchronous engine', () => {
  it('runs one commit at a time and puts what arrives meanwhile into the next batch', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    let inFlight = 0;
    let maxInFlight = 0;
    const queue = new GroupCommit<number, number>(async (items) => {
      batches.push([...items]);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      inFlight -= 1;
      return [...items];
    });
    const first = queue.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [queue.submit(2), queue.submit(3)];
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(batches).toEqual([[1], [2, 3]]);
    expect(maxInFlight).toBe(1);
  });

  it('drain waits for the commit in flight and everything queued behind it', async () => {
    const committed: number[] = [];
    const queue = new GroupCommit<number, number>(async (items) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      committed.push(...items);
      return [...items];
    });
    const all = [queue.submit(1), queue.submit(2)];
    await new Promise((resolve) => setImmediate(resolve));
    all.push(queue.submit(3));
    await queue.drain();
    expect(committed).toEqual([1, 2, 3]);
    await Promise.all(all);
  });
});
