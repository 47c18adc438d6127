import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run bench -- --quick` inside `npm test`, so the harness never rots. Nothing about speed is
 * asserted here (shared, noisy machines): only that every measurement is taken and reported.
 */
describe('benchmark harness (--quick)', () => {
  it('measures every endpoint, the ceiling, the start-up and the memory, and writes its results', () => {
    const out = mkdtempSync(join(tmpdir(), 'drafty-bird-bench-out-'));
    try {
      const run = spawnSync(process.execPath, ['--experimental-strip-types', join(__dirname, '..', 'bench', 'run.ts'), '--quick'], {
        env: { ...process.env, BENCH_OUT: out },
        encoding: 'utf8',
        timeout: 180_000,
      });
      expect(run.stderr).not.toMatch(/Error/);
      expect(run.status).toBe(0);
      for (const row of ['bare Fastify ceiling', 'GET /leaderboard', 'POST /score', 'GET /healthz', 'GET /metrics', 'tracing off', 'spawn → /readyz', 'idle RSS', 'peak RSS', 'at 1,000 req/s', 'on PostgreSQL', "on replica B's leaderboard"]) {
        expect(run.stdout).toContain(row);
      }
      const results = JSON.parse(readFileSync(join(out, 'results.quick.json'), 'utf8'));
      expect(results.ceiling.median.rps).toBeGreaterThan(0);
      // The paced rate's CPU on the bare ceiling: what the service's CPU-s/s is read against.
      expect(results.ceilingFixedRate).toMatchObject({ errors: 0, cpuPerSecond: expect.any(Number) });
      expect(results.ceilingFixedRate.cpuPerSecond).toBeGreaterThan(0);
      // Each score carried a run the service issued, old enough for its score: all stored, none refused.
      expect(results.scoreRejections).toBe(0);
      for (const endpoint of ['POST /game-start', 'GET /leaderboard', 'POST /score', 'GET /healthz', 'GET /metrics']) {
        expect(results.endpoints[endpoint].median.rps).toBeGreaterThan(0);
        expect(results.endpoints[endpoint].median.errors).toBe(0);
      }
      expect(results.otlpBytesExported).toBeGreaterThan(0);
      // Each tracing setting: the players' mix paced without errors, with the server's CPU measured.
      expect(Object.keys(results.tracing)).toEqual(['tracing off', '10% of traces (parentbased_traceidratio 0.1)', 'every trace (as deployed)']);
      for (const run of Object.values(results.tracing) as { mix: { routes: Record<string, { errors: number; sent: number }>; cpuPerSecond: number }; cpuMicrosPerRequest: number }[]) {
        expect(Object.keys(run.mix.routes)).toEqual(['POST /game-start', 'POST /score', 'GET /leaderboard']);
        for (const route of Object.values(run.mix.routes)) expect(route).toMatchObject({ errors: 0, sent: expect.any(Number) });
        expect(run.mix.cpuPerSecond).toBeGreaterThan(0);
        expect(run.cpuMicrosPerRequest).toBeGreaterThan(0);
      }
      // PostgreSQL mode: the same endpoints without errors or refusals, and replicas that converge.
      expect(results.postgres.scoreRejections).toBe(0);
      for (const endpoint of ['GET /leaderboard', 'POST /score']) expect(results.postgres.endpoints[endpoint].median.errors).toBe(0);
      expect(results.postgres.convergenceMs.length).toBeGreaterThan(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 200_000);
});
