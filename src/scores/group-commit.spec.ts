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
