import { chaosFault } from '../gameday/faults.ts';
import { defineScenario } from '../gameday/scenario.ts';
import { COHORT_SCORE_WRITES, ERROR_EXPECTATIONS, playersMostlyFailing } from '../gameday/expectations.ts';

/**
 * The data layer fails: half of the game-day cohort's score commits fail and every one waits 200 ms
 * first. Players lose scores (503, nothing stored), the availability page and the 5xx alert must fire,
 * storage-fault traces (chaos.type=storage under score.submit) must be found. Timed for `npm run observe`.
 */
export default defineScenario({
  name: 'storage-fault',
  description: "Half of the game-day cohort's score commits fail after a 200 ms stall, for 4 minutes.",
  players: { count: 12, arrivalRate: 2, ramp: '15s' },
  baseline: '1m',
  fault: chaosFault('storage fault on POST /score commits: 50% fail, all delayed 200 ms (gameday cohort)', {
    storageFailureRate: 0.5,
    storageLatencyMs: 200,
    ...COHORT_SCORE_WRITES,
  }),
  duration: '4m',
  expect: ERROR_EXPECTATIONS,
  guards: [playersMostlyFailing(0.9, '30s')],
});
