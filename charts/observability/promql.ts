/*
 * The PromQL both the alert rules and the release gates are made of, so an alert and a gate can never
 * disagree about what "5xx ratio" or "p99" means: only the selector (the whole job, or one revision's
 * pods) and the window differ.
 */

import { PLAYER_ROUTES } from '../../src/surface.ts';

/**
 * What players do: probes and scrapes answer 200 whatever the service is worth, so they would make an
 * idle revision look perfect and dilute an SLO. Release gates and SLOs measure the player API only.
 */
export const PLAYER_API = [PLAYER_ROUTES.gameStart, PLAYER_ROUTES.score, PLAYER_ROUTES.leaderboard];

/** `selector` narrowed to the player API routes. */
export function playerApi(selector: string): string {
  return `${selector},route=~"${PLAYER_API.join('|')}"`;
}

/** Share of responses that were 5xx, over `window`, for the series `selector` matches (`job="…"`). */
export function errorRatio(selector: string, window: string): string {
  return `(sum(rate(http_requests_total{${selector},status=~"5.."}[${window}])) / sum(rate(http_requests_total{${selector}}[${window}])))`;
}

/**
 * Share of responses that were not 5xx: empty or NaN without traffic. Counted directly, not as
 * 1 − errorRatio: without a single 5xx series that difference is an empty vector, not 1.
 */
export function successRatio(selector: string, window: string): string {
  return `(sum(rate(http_requests_total{${selector},status!~"5.."}[${window}])) / sum(rate(http_requests_total{${selector}}[${window}])))`;
}

/** 99th percentile of response time in seconds, over `window`. */
export function p99Seconds(selector: string, window: string): string {
  return `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[${window}])))`;
}
