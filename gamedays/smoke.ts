import { chaosFault } from '../gameday/faults.ts';
import { defineScenario } from '../gameday/scenario.ts';
import { GAMEDAY_COHORT, playersMostlyFailing } from '../gameday/expectations.ts';

/**
 * Two minutes that prove the game-day loop works end to end on a stack with the game-day SLO window
 * (1h): errors on the leaderboard for the game-day cohort, the availability page within seconds,
 * traces found, and the page cleared within a minute of the fault ending. What the e2e suite runs.
 */
export default defineScenario({
  name: 'smoke',
  description: 'Every GET /leaderboard of the game-day cohort fails for 40 seconds.',
  players: { count: 6, arrivalRate: 3, ramp: '0s', profile: { thinkMs: [200, 800], medianRunSeconds: 2, maxRunSeconds: 6, leaderboardChance: 0.9 } },
  baseline: '10s',
  fault: chaosFault('injected 503 on every GET /leaderboard of the gameday cohort', {
    errorRate: 1,
    routes: ['/leaderboard'],
    methods: ['GET'],
    header: GAMEDAY_COHORT,
  }),
  duration: '40s',
  expect: {
    alerts: [{ name: 'DraftyBirdAvailabilityBudgetBurn', labels: { severity: 'page' }, within: '40s' }],
    tracesWithin: '20s',
    resolveWithin: '90s',
  },
  guards: [playersMostlyFailing(0.99, '20s')],
});
