import { chaosFault } from '../gameday/faults.ts';
import { defineScenario } from '../gameday/scenario.ts';
import { LATENCY_ALERTS, GAMEDAY_COHORT, playersMostlyFailing } from '../gameday/expectations.ts';

/**
 * The leaderboard turns slow for the game-day cohort (median 600 ms, p99 2 s) for four minutes: the
 * latency SLO's page and the runbook's p99 alert must fire, latency traces must be found, both must
 * clear after. Timed for `npm run observe`.
 */
export default defineScenario({
  name: 'latency-leaderboard',
  description: 'GET /leaderboard is slowed to a 600 ms median and a 2 s p99 for the game-day cohort, for 4 minutes.',
  players: { count: 12, arrivalRate: 2, ramp: '15s', profile: { leaderboardChance: 0.8 } },
  baseline: '1m',
  fault: chaosFault('added latency (p50 600 ms, p99 2000 ms) on GET /leaderboard for the gameday cohort', {
    latencyMsP50: 600,
    latencyMsP99: 2000,
    routes: ['/leaderboard'],
    methods: ['GET'],
    header: GAMEDAY_COHORT,
  }),
  duration: '4m',
  expect: {
    alerts: LATENCY_ALERTS,
    tracesWithin: '1m',
    resolveWithin: '8m',
  },
  guards: [playersMostlyFailing(0.95, '30s')],
});
