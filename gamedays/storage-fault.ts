import { chaosFault } from '../gameday/faults.ts';
import { defineScenario } from '../gameday/scenario.ts';

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
    routes: ['/score'],
    methods: ['POST'],
    header: { name: 'x-drafty-cohort', value: 'gameday' },
  }),
  duration: '4m',
  expect: {
    alerts: [
      { name: 'DraftyBirdAvailabilityBudgetBurn', labels: { severity: 'page' }, within: '2m' },
      { name: 'DraftyBirdHighErrorRate', within: '4m' },
    ],
    tracesWithin: '1m',
    resolveWithin: '8m',
  },
  guards: [{ description: "players' failure ratio over 30s stays under 90%", kind: 'players', failureRatioAbove: 0.9, window: '30s' }],
});
