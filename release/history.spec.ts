import { current, fromSecret, historyTable, nextRevision, type ReleaseRecord, rollbackTarget, toSecret } from './history.ts';

const record = (revision: number, status: ReleaseRecord['status'], image = `drafty-bird:${revision}.0.0`): ReleaseRecord => ({
  revision,
  status,
  startedAt: `2026-12-03T08:0${revision}:00.000Z`,
  finishedAt: `2026-12-03T08:0${revision}:30.000Z`,
  image,
  description: status === 'failed' ? 'gate success-rate failed 2 time(s)' : 'every gate passed',
  manifests: `---\nkind: StatefulSet\nimage: ${image}\n`.repeat(200),
});

describe('the release history', () => {
  it('round-trips a record through its Secret, compressed, with revision and status readable as labels', () => {
    const secret = toSecret(record(3, 'deployed'), 'drafty-bird');
    expect(secret.metadata).toMatchObject({
      name: 'drafty-bird-release.v3',
      namespace: 'drafty-bird',
      labels: { 'app.kubernetes.io/managed-by': 'drafty-bird-release', 'drafty-bird.dev/release-revision': '3', 'drafty-bird.dev/release-status': 'deployed' },
    });
    expect(secret.data.release.length).toBeLessThan(record(3, 'deployed').manifests.length / 4);
    expect(fromSecret(secret)).toEqual(record(3, 'deployed'));
    expect(() => fromSecret({ data: {} })).toThrow(/not a release record/);
  });

  const history = [record(1, 'superseded'), record(2, 'superseded'), record(3, 'failed'), record(4, 'deployed'), record(5, 'failed')];

  it('numbers releases after the highest revision, whatever became of it', () => {
    expect(nextRevision([])).toBe(1);
    expect(nextRevision(history)).toBe(6);
  });

  it('knows the running release: the newest kept one', () => {
    expect(current(history)?.revision).toBe(4);
    expect(current([record(1, 'failed')])).toBeUndefined();
  });

  it('rolls back by default to the last kept release before the running one, never to a failed one', () => {
    expect(rollbackTarget(history).revision).toBe(2);
    expect(rollbackTarget(history, 1).revision).toBe(1);
    expect(() => rollbackTarget(history, 3)).toThrow(/failed/);
    expect(() => rollbackTarget(history, 9)).toThrow(/no release 9/);
    expect(() => rollbackTarget([record(1, 'deployed')])).toThrow(/nothing to roll back to/);
  });

  it('prints newest first, aligned like helm history', () => {
    const lines = historyTable(history);
    expect(lines[0]).toMatch(/^REVISION\s+UPDATED\s+STATUS\s+IMAGE\s+DESCRIPTION$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(['5', '4', '3', '2', '1']);
    expect(new Set(lines.map((line) => line.indexOf('STATUS') >= 0 ? line.indexOf('STATUS') : line.search(/(superseded|failed|deployed)/))).size).toBe(1);
  });
});
