import { ApiClient } from './api';

const response = (status: number, body: unknown = {}) => new Response(JSON.stringify(body), { status });

describe('ApiClient.submitScore', () => {
  const noSleep = async () => undefined;

  it('sends once when the server accepts', async () => {
    const fetchImpl = jest.fn(async () => response(201, { highScore: 9 }));
    const outcome = await new ApiClient(fetchImpl as typeof fetch, noSleep).submitScore('Ada', 9);
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
    const outcome = await new ApiClient(fetchImpl as typeof fetch, async (ms) => void sleeps.push(ms)).submitScore('A', 1);
    expect(outcome.ok).toBe(true);
    expect(fetchImpl).toHaveBeenCalledTimes(4);
    expect(sleeps).toHaveLength(3);
    expect(sleeps[2]!).toBeGreaterThan(sleeps[0]!);
  });

  it('gives up after the last attempt and says why', async () => {
    const fetchImpl = jest.fn(async () => response(503, { error: 'injected fault' }));
    const outcome = await new ApiClient(fetchImpl as typeof fetch, noSleep).submitScore('A', 1, { attempts: 3, baseDelayMs: 1, timeoutMs: 100 });
    expect(fetchImpl).toHaveBeenCalledTimes(3);
    expect(outcome).toEqual({ ok: false, message: expect.stringContaining('injected fault') });
  });

  it('does not retry a 400: the same request would fail the same way', async () => {
    const fetchImpl = jest.fn(async () => response(400, { error: 'player must be at most 32 characters' }));
    const outcome = await new ApiClient(fetchImpl as typeof fetch, noSleep).submitScore('A', 1);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(outcome.ok).toBe(false);
  });
});
