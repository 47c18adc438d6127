import { podKill } from '../gameday/faults.ts';
import { defineScenario } from '../gameday/scenario.ts';
import { playersMostlyFailing } from '../gameday/expectations.ts';

/**
 * Cluster only (single-writer mode): the one pod is deleted. No alert is expected — the StatefulSet
 * brings it back faster than any alert holds — so what this measures is the downtime players see
 * (first failed answer → last) and that nothing stays broken. The guard aborts if players are still
 * failing two minutes on.
 */
export default defineScenario({
  name: 'pod-kill',
  description: 'The single writer pod drafty-bird-0 is deleted; the players\' downtime is measured.',
  players: { count: 12, arrivalRate: 3, ramp: '10s' },
  baseline: '1m',
  fault: podKill('drafty-bird-0'),
  duration: '2m',
  expect: { alerts: [], resolveWithin: '5m' },
  guards: [playersMostlyFailing(0.99, '2m')],
});
