import { createHmac } from 'node:crypto';
import Database from 'better-sqlite3';
import { earliestSubmitMs } from '../src/game/scoring.ts';
import { KEY_ROTATION_MS } from '../src/scores/run-keys.ts';
import { Clock } from '../src/scores/clock.ts';
import { json, startTestApp, type TestApp } from './support/test-app.ts';

const STEP_MS = 1000 / 60;
const HOUR = 60 * 60 * 1000;

const rowsIn = (t: TestApp, sql = 'SELECT player, score, run_id AS runId FROM scores') => {
  const db = new Database(t.config.scoreDbPath, { readonly: true });
  try {
    return db.prepare(sql).all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (token: string) => token.split('.').map((part, i) => (i < 2 ? JSON.parse(Buffer.from(part, 'base64url').toString()) : part));

describe('runs: a score only for a run the server issued', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  const submit = (body: unknown) => t.inject({ method: 'POST', url: '/score', headers: json, payload: JSON.stringify(body) });
  const rejectionCount = async (reason: string) => {
    const text = (await t.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(new RegExp(`^drafty_bird_score_rejections_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(text)?.[1]);
  };

  it('refuses a score without a run with a 400 naming it, and counts it', async () => {
    expect(await rejectionCount('run_missing')).toBe(0);
    const res = await submit({ player: 'Ada', score: 0 });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: expect.stringContaining('POST /game-start'), reason: 'run_missing', request_id: expect.any(String) });
    expect(await rejectionCount('run_missing')).toBe(1);
    expect(rowsIn(t)).toEqual([]);
  });

  it('stores a plausible score for a fresh run, with the run id', async () => {
    const run = await t.startRun();
    t.advanceClock(earliestSubmitMs(3));
    const res = await submit({ run, player: 'Ada', score: 3 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ stored: { player: 'Ada', score: 3, createdAt: expect.any(String) }, highScore: 3 });
    expect(rowsIn(t)).toEqual([{ player: 'Ada', score: 3, runId: decode(run)[1].jti }]);
  });

  describe('forged runs get 403 run_invalid and store nothing', () => {
    const forgeries: Array<[string, (real: string) => string]> = [
      ['not a token', () => 'hello'],
      ['an empty string', () => ''],
      ['a token 2 KB long', (real) => real + 'A'.repeat(2048)],
      ['a changed start time', (real) => {
        const [header, claims, signature] = decode(real);
        return `${b64(header)}.${b64({ ...claims, st: claims.st - HOUR })}.${signature}`;
      }],
      ['alg "none"', (real) => {
        const [header, claims] = decode(real);
        return `${b64({ ...header, alg: 'none' })}.${b64(claims)}.`;
      }],
      ['another key under the same key id', (real) => {
        const [header, claims] = decode(real);
        const signed = `${b64(header)}.${b64(claims)}`;
        return `${signed}.${createHmac('sha256', 'guessed').update(signed).digest('base64url')}`;
      }],
      ['an unknown key id', (real) => {
        const [header, claims, signature] = decode(real);
        return `${b64({ ...header, kid: 'nope' })}.${b64(claims)}.${signature}`;
      }],
      ['another token type', (real) => {
        const [header, claims, signature] = decode(real);
        return `${b64({ ...header, typ: 'JWT' })}.${b64(claims)}.${signature}`;
      }],
    ];

    it.each(forgeries)('%s', async (_what, forge) => {
      const run = forge(await t.startRun());
      t.advanceClock(earliestSubmitMs(5));
      const res = await submit({ run, score: 5 });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ reason: 'run_invalid', error: expect.stringMatching(/^run /) });
      expect(rowsIn(t)).toEqual([]);
    });

    it('a run another deployment issued (its own keys)', async () => {
      const other = await startTestApp();
      const foreign = await other.startRun();
      await other.close();
      t.advanceClock(earliestSubmitMs(1));
      const res = await submit({ run: foreign, score: 1 });
      expect(res.statusCode).toBe(403);
      expect(res.json().reason).toBe('run_invalid');
    });
  });

  it('refuses an expired run with 403 run_expired', async () => {
    const run = await t.startRun();
    t.advanceClock(t.config.runTtlMs + 3000);
    const res = await submit({ run, score: 1 });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ reason: 'run_expired', error: 'run has expired' });
    expect(await rejectionCount('run_expired')).toBe(1);
  });

  it("still takes a score a second past the run's expiry: replicas' clocks may differ by the tolerance", async () => {
    const run = await t.startRun();
    t.advanceClock(t.config.runTtlMs + 1000);
    const res = await submit({ run, score: 1 });
    expect(res.statusCode).toBe(201);
  });

  it('refuses more points than the run has lasted for with a 422, to the step', async () => {
    // To the step means real time must not pass meanwhile: on a loaded machine the two requests alone
    // took longer than a step (1/60 s) and the early score was accepted. The clock stands still here.
    const clock = t.app.get(Clock);
    const running = clock.now;
    const frozenAt = clock.now();
    let moved = 0;
    clock.now = () => frozenAt + moved;
    try {
      const run = await t.startRun();
      moved += earliestSubmitMs(10) - STEP_MS;
      const early = await submit({ run, score: 10 });
      expect(early.statusCode).toBe(422);
      expect(early.json()).toMatchObject({ reason: 'score_implausible', error: expect.stringContaining('score 10 is not possible') });
      moved += STEP_MS;
      expect((await submit({ run, score: 10 })).statusCode).toBe(201);
      expect(await rejectionCount('score_implausible')).toBe(1);
    } finally {
      clock.now = running;
    }
  });

  it('answers a retry with the first 201 again and stores nothing new; another score for the run is a 409', async () => {
    const run = await t.startRun();
    t.advanceClock(earliestSubmitMs(4));
    const first = await submit({ run, player: 'Ada', score: 4 });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Somebody else scores higher in between: the retry still answers what the first answer said.
    await t.postScore({ player: 'Bob', score: 6 });
    t.advanceClock(1000);
    const retry = await submit({ run, player: ' Ada ', score: 4 });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());

    for (const changed of [{ player: 'Ada', score: 3 }, { player: 'Eve', score: 4 }]) {
      const conflict = await submit({ run, ...changed });
      expect(conflict.statusCode).toBe(409);
      expect(conflict.json()).toMatchObject({ reason: 'run_conflict' });
    }
    expect(rowsIn(t, 'SELECT player, score FROM scores ORDER BY id')).toEqual([{ player: 'Ada', score: 4 }, { player: 'Bob', score: 6 }]);
    expect(await rejectionCount('run_conflict')).toBe(2);
  });

  it('stores one row when the same run arrives twice in one group commit', async () => {
    const run = await t.startRun();
    t.advanceClock(earliestSubmitMs(2));
    const answers = await Promise.all([submit({ run, score: 2 }), submit({ run, score: 2 }), submit({ run, score: 1 })]);
    expect(answers.map((res) => res.statusCode)).toEqual([201, 201, 409]);
    expect(answers[1]!.json()).toEqual(answers[0]!.json());
    expect(rowsIn(t)).toHaveLength(1);
  });

  it('the 100 × 1,000,000 attack stores nothing', async () => {
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    for (let i = 0; i < 50; i++) count((await submit({ player: 'owner', score: 1_000_000 })).statusCode);
    for (let i = 0; i < 50; i++) count((await submit({ run: await t.startRun(), player: 'owner', score: 1_000_000 })).statusCode);
    expect(Object.fromEntries(statuses)).toEqual({ 400: 50, 422: 50 });
    expect(rowsIn(t)).toEqual([]);
    expect(JSON.parse((await t.inject({ method: 'GET', url: '/leaderboard' })).body)).toEqual({ leaderboard: [] });
  });
});

describe('runs across restarts and key rotation', () => {
  it('a run issued before a restart scores after it: the keys live in the database', async () => {
    const first = await startTestApp();
    const run = await first.startRun();
    await first.app.close();
    const second = await startTestApp({ scoreDbPath: first.config.scoreDbPath });
    try {
      second.advanceClock(earliestSubmitMs(1));
      const res = await second.inject({ method: 'POST', url: '/score', headers: json, payload: JSON.stringify({ run, score: 1 }) });
      expect(res.statusCode).toBe(201);
    } finally {
      await second.close();
      await first.close().catch(() => undefined);
    }
  });

  it('rotates the signing key daily without invalidating a run in flight, and retires old keys', async () => {
    const t = await startTestApp({}, { RUN_TTL_SECONDS: '86400' });
    try {
      const keyIds = () => rowsIn(t, 'SELECT id FROM run_keys ORDER BY created_at').map((row) => row.id);
      await t.startRun();
      t.advanceClock(KEY_ROTATION_MS - HOUR);
      const early = await t.startRun();
      t.advanceClock(2 * HOUR);
      const late = await t.startRun();
      expect(keyIds()).toHaveLength(2);
      expect(decode(late)[0].kid).not.toBe(decode(early)[0].kid);
      const earlyRes = await t.inject({ method: 'POST', url: '/score', headers: json, payload: JSON.stringify({ run: early, score: 1 }) });
      expect(earlyRes.statusCode).toBe(201);

      // Two rotations later the first key verifies nothing that has not expired, and is deleted.
      t.advanceClock(KEY_ROTATION_MS + HOUR);
      await t.startRun();
      t.advanceClock(KEY_ROTATION_MS + HOUR);
      await t.startRun();
      expect(keyIds()).not.toContain(decode(early)[0].kid);
      expect(keyIds().length).toBeLessThanOrEqual(3);
    } finally {
      await t.close();
    }
  });
});
