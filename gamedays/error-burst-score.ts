import { chaosFault } from '../gameday/faults.ts';
import { defineScenario } from '../gameday/scenario.ts';
import { COHORT_SCORE_WRITES, ERROR_EXPECTATIONS, playersMostlyFailing } from '../gameday/expectations.ts';

/**
 * Half of the game-day players' score submissions fail (503) for four minutes. The fast-burn page of the
 * availability SLO must fire first, the runbook's 5xx-ratio alert after it; traces must show the
 * injected errors; both must clear once the fault ends. Timed for `npm run observe` (alerts hold 1m,
 * the SLO window is 1h); in a cluster render the same game-day settings (see the README).
 */
export default defineScenario({
  name: 'error-burst-score',
  description: 'Half of the game-day cohort\'s POST /score answers are injected 503s for 4 minutes.',
  players: { count: 12, arrivalRate: 2, ramp: '15s' },
  baseline: '1m',
  fault: chaosFault('injected 503 on 50% of POST /score from the x-drafty-cohort: gameday players', {
    errorRate: 0.5,
    errorStatus: 503,
    ...COHORT_SCORE_WRITES,
  }),
  duration: '4m',
  expect: ERROR_EXPECTATIONS,
  guards: [playersMostlyFailing(0.9, '30s')],
});
