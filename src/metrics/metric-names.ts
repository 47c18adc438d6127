/** Metric names are part of the contract with dashboards and alert rules: change them never. */
export const METRIC = {
  httpRequests: 'http_requests_total',
  httpDuration: 'http_request_duration_seconds',
  gamesStarted: 'drafty_bird_games_started_total',
  gamesCompleted: 'drafty_bird_games_completed_total',
  scoreRejections: 'drafty_bird_score_rejections_total',
  highScore: 'drafty_bird_high_score',
  chaosInjections: 'drafty_bird_chaos_injections_total',
  connectionsClosed: 'http_connections_closed_total',
  ready: 'drafty_bird_ready',
  storageUp: 'drafty_bird_storage_up',
  buildInfo: 'drafty_bird_build_info',
  chaosEnabled: 'drafty_bird_chaos_enabled',
  chaosChanges: 'drafty_bird_chaos_changes_total',
  chaosExpiry: 'drafty_bird_chaos_expiry_timestamp_seconds',
  chaosExpirations: 'drafty_bird_chaos_expirations_total',
  logLinesDropped: 'drafty_bird_log_lines_dropped_total',
} as const;

/** Why the server closed a connection itself (http_connections_closed_total). */
export const CONNECTION_CLOSE_REASONS = ['request_timeout', 'idle_timeout', 'malformed_request', 'header_too_large'] as const;
export type ConnectionCloseReason = (typeof CONNECTION_CLOSE_REASONS)[number];

/** The method label of a request the HTTP parser refused before it had a method. */
export const UNPARSED_METHOD = 'unparsed';

/** Includes 0.25 s and 0.5 s exactly (the p99 alert threshold) and reaches 10 s. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The route label of requests that matched no route: one value, whatever URL a client sends. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Content-hashed game files: one route label for all of them, or every release would add series. */
export const ASSET_ROUTE = '/assets/*';
const ASSET_PREFIX = '/assets/';

/** The `route` label of a matched route template. */
export function routeLabel(routeTemplate: string | undefined): string {
  if (routeTemplate === undefined) return UNMATCHED_ROUTE;
  return routeTemplate.startsWith(ASSET_PREFIX) ? ASSET_ROUTE : routeTemplate;
}
