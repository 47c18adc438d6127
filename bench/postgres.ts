import { startPrivatePostgres, type PrivateServer } from '../test/support/postgres.ts';

/**
 * The PostgreSQL side of the benchmark: a private server on this machine (the tests' own harness),
 * seeded like the SQLite database, and the cross-replica convergence measurement.
 */
export async function startBenchPostgres(): Promise<PrivateServer> {
  return startPrivatePostgres('bench');
}

/** The same rows as the SQLite seed, in one statement; the schema comes from the service's migrations. */
export async function seedPostgres(server: PrivateServer, count: number, database?: string): Promise<void> {
  await server.query(
    `INSERT INTO scores (player, score, created_at)
     SELECT 'player-' || (i % 5000), (i::bigint * 7919) % 1000001, timestamptz '2026-01-01T00:00:00Z' + i * interval '1 second'
       FROM generate_series(0, $1::int - 1) AS i`,
    [count],
    database,
  );
  await server.query('ANALYZE scores', [], database);
}

/**
 * How long after replica A acknowledges a score replica B's GET /leaderboard shows it: `samples`
 * scores, one at a time, each polled for on B every millisecond. Milliseconds, sorted.
 */
export async function convergenceMs(aUrl: string, bUrl: string, samples: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const run = (await (await fetch(`${aUrl}/game-start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { run: { token: string } };
    const player = `converge-${i}`;
    const res = await fetch(`${aUrl}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ run: run.run.token, player, score: 0 }) });
    if (res.status !== 201) throw new Error(`bench: POST /score on replica A answered ${res.status}`);
    const acknowledged = performance.now();
    for (;;) {
      const board = (await (await fetch(`${bUrl}/leaderboard?limit=100`)).json()) as { leaderboard: Array<{ player: string }> };
      if (board.leaderboard.some((entry) => entry.player === player)) break;
      if (performance.now() - acknowledged > 10_000) throw new Error('bench: replica B never showed the score');
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    times.push(performance.now() - acknowledged);
  }
  return times.sort((a, b) => a - b);
}
