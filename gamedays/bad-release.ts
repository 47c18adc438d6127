import { badRelease } from '../gameday/faults.ts';
import { defineScenario } from '../gameday/scenario.ts';
import { playersMostlyFailing } from '../gameday/expectations.ts';

/**
 * Cluster only (single-writer mode, `npm run release`): a release whose pod answers half of the player
 * API with errors. The release gates must fail it and restore the previous revision by themselves; the
 * game day measures what players saw meanwhile and fails if the release was kept.
 */
export default defineScenario({
  name: 'bad-release',
  description: 'A release whose pods inject 50% errors is rolled out with npm run release; it must roll itself back.',
  players: { count: 12, arrivalRate: 3, ramp: '10s' },
  baseline: '1m',
  fault: badRelease(['chaos.enabled=true', 'chaos.errorRate=0.5']),
  duration: '3m',
  expect: { alerts: [], resolveWithin: '10m' },
  guards: [playersMostlyFailing(0.9, '1m')],
});
