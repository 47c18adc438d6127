import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { HTTP_DURATION_BUCKETS } from '../metrics/metric-names.ts';

/** The players' metric names: what dashboards put beside the server's view. Change them never. */
export const PLAYER_METRIC = {
  requests: 'drafty_bird_player_requests_total',
  duration: 'drafty_bird_player_request_duration_seconds',
  active: 'drafty_bird_players_active',
  arrivals: 'drafty_bird_player_arrivals_total',
  games: 'drafty_bird_player_games_total',
} as const;

/** The `status` label of a request that got no HTTP answer at all (refused, reset, timed out). */
export const NO_ANSWER = 'no_answer';

/** What synthetic players saw, in their own registry (served by the players process, not the app). */
export class PlayerMetrics {
  readonly registry = new Registry();
  /** Same labels and buckets as the server's http_requests_total / duration, so the two line up. */
  readonly requests = new Counter({
    name: PLAYER_METRIC.requests,
    help: 'Requests synthetic players sent, by route, method and the status they got (no_answer: none).',
    labelNames: ['route', 'method', 'status'],
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: PLAYER_METRIC.duration,
    help: 'Latency synthetic players saw, from sending a request to its whole answer.',
    labelNames: ['route', 'method'],
    buckets: HTTP_DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly active = new Gauge({ name: PLAYER_METRIC.active, help: 'Synthetic players playing now.', registers: [this.registry] });
  readonly arrivals = new Counter({
    name: PLAYER_METRIC.arrivals,
    help: 'Synthetic players who arrived; admitted="false" when the crowd was full.',
    labelNames: ['admitted'],
    registers: [this.registry],
  });
  readonly games = new Counter({
    name: PLAYER_METRIC.games,
    help: 'Games synthetic players finished, by whether their score was stored.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  constructor() {
    for (const admitted of ['true', 'false']) this.arrivals.inc({ admitted }, 0);
    for (const outcome of ['stored', 'failed']) this.games.inc({ outcome }, 0);
  }
}
