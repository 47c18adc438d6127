import { ApiClient } from './api';

const response = (status: number, body: unknown = {}) => new Response(JSON.stringify(body), { status });
const RUN = { id: 'r1', token: 'token-1' };

describe('ApiClient.submitScore', () => {
  const noSleep = async () => undefined;

  it('sends once when the server accepts', async () => {
    const fetchImpl = jest.fn(async () => response(201, { highScore: 9 }));
    const outcome = await new ApiClient(fetchImpl as typeof fetch, noSleep).submitScore(RUN, 'Ada', 9);
    expect(outcome).toEqual({ ok: true, message: 'Score saved.', highScore: 9 });
    expect(fetchImpl).toHaveBeenCalledTimes(1);
  });

  it('retries 5xx, 429 and network errors a bounded number of times with growing back-off', async () => {
    const sleeps: number[] = [];
    const fetchImpl = jest
      .fn()
      .mockResolvedValueOnce(response(503, { error: 'injected fault' }))
      .mockRejectedValueOnce(new TypeError('network'))
      .mockResolvedValueOnce(response(429))
      .mockResolvedValueOnce(response(201, { highScore: 1 }));
    const outcome = await new ApiClient(fetchImpl as typeof fetch, async (ms) => void sleeps.push(ms)).submitScore(RUN, 'A', 1);
    expect(outcome.ok).toBe(true);
    expect(fetchImpl).toHaveBeenCalledTimes(4);
    // Every attempt is the same body for the same run: the server stores it once.
    const bodies = fetchImpl.mock.calls.map(([, init]) => (init as RequestInit).body);
    expect(new Set(bodies)).toEqual(new Set([JSON.stringify({ run: 'token-1', player: 'A', score: 1 })]));
    expect(sleeps).toHaveLength(3);
    expect(sleeps[2]!).toBeGreaterThan(sleeps[0]!);
  });

  it('gives up after the last attempt and says why', async () => {
    const fetchImpl = jest.fn(async () => response(503, { error: 'injected fault' }));
    const outcome = await new ApiClient(fetchImpl as typeof fetch, noSleep).submitScore(RUN, 'A', 1, { attempts: 3, baseDelayMs: 1, timeoutMs: 100 });
    expect(fetchImpl).toHaveBeenCalledTimes(3);
    expect(outcome).toEqual({ ok: false, message: expect.stringContaining('injected fault') });
  });

  it('does not retry a 400: the same request would fail the same way', async () => {
    const fetchImpl = jest.fn(async () => response(400, { error: 'player must be at most 32 characters' }));
    const outcome = await new ApiClient(fetchImpl as typeof fetch, noSleep).submitScore(RUN, 'A', 1);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(outcome.ok).toBe(false);
  });
});

describe('ApiClient.startRun', () => {
  it('returns the issued run, or nothing when the server cannot give one', async () => {
    const ok = jest.fn(async () => response(202, { accepted: true, run: { id: 'r9', token: 't9', startedAt: 'x', expiresAt: 'y' } }));
    expect(await new ApiClient(ok as typeof fetch).startRun()).toMatchObject({ id: 'r9', token: 't9' });
    const down = jest.fn(async () => response(503, { error: 'score storage is unavailable' }));
    expect(await new ApiClient(down as typeof fetch).startRun()).toBeUndefined();
    const offline = jest.fn(async () => Promise.reject(new TypeError('network')));
    expect(await new ApiClient(offline as typeof fetch).startRun()).toBeUndefined();
  });
});
