/**
 * What the shipped scenarios share: the cohort their players belong to (and chaos aims at), the alerts
 * an error or a latency fault must raise under the game-day settings, and the usual guard.
 */
import type { ExpectedAlert, Guard } from './scenario.ts';

/** Players a game day starts send this header; its chaos targets it, so nobody else is touched. */
export const GAMEDAY_COHORT = { name: 'x-drafty-cohort', value: 'gameday' } as const;

/** Chaos scope: the game-day cohort's score submissions (their commits, for a storage fault). */
export const COHORT_SCORE_WRITES = { routes: ['/score'], methods: ['POST' as const], header: GAMEDAY_COHORT };

/** Errors: the availability SLO's fast-burn page first, then the runbook's 5xx-ratio alert (5m window). */
export const ERROR_ALERTS: ExpectedAlert[] = [
  { name: 'DraftyBirdAvailabilityBudgetBurn', labels: { severity: 'page' }, within: '2m' },
  { name: 'DraftyBirdHighErrorRate', within: '4m' },
];

/** What a four-minute error fault must show: both alerts, its traces within a minute, all clear within eight. */
export const ERROR_EXPECTATIONS = { alerts: ERROR_ALERTS, tracesWithin: '1m', resolveWithin: '8m' };

/** Slowness: the latency SLO's fast-burn page first, then the runbook's p99 alert (5m window). */
export const LATENCY_ALERTS: ExpectedAlert[] = [
  { name: 'DraftyBirdLatencyBudgetBurn', labels: { severity: 'page' }, within: '2m' },
  { name: 'DraftyBirdHighLatencyP99', within: '4m' },
];

/** Stop early if nearly every answer players get is bad over `window`: the fault went further than planned. */
export function playersMostlyFailing(failureRatioAbove: number, window: string): Guard {
  return { description: `players' failure ratio over ${window} stays under ${Math.round(failureRatioAbove * 100)}%`, kind: 'players', failureRatioAbove, window };
}
