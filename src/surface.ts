/**
 * The service's surface, written once: every route by audience, the two ports, and how long a
 * shutdown may take. The controllers, the public listener, tracing, chaos and metrics import it, and
 * so do the chart (probes, exposure paths, scrape annotations, grace period) and the tests. It imports
 * nothing, so the chart can load it with Node's type stripping.
 */

/** What players reach from outside: the game and its API. */
export const PLAYER_ROUTES = {
  index: '/',
  indexHtml: '/index.html',
  favicon: '/favicon.svg',
  /** Content-hashed game files under this prefix. */
  assets: '/assets/',
  gameStart: '/game-start',
  score: '/score',
  leaderboard: '/leaderboard',
} as const;

/** Probes, the scrape and the build: cluster-internal, never traced, logged at debug, never chaos targets. */
export const OPERATOR_ROUTES = {
  liveness: '/healthz',
  readiness: '/readyz',
  metrics: '/metrics',
  /** Which build runs (version, commit, build time, Node). */
  version: '/version',
  /** The OpenAPI 3.1 document of every route. */
  openapi: '/openapi.json',
} as const;

/** Game-day control, behind a token; cluster-internal. */
export const ADMIN_ROUTES = {
  chaos: '/chaos',
} as const;

/** Player routes matched by prefix rather than exactly. */
export const PREFIX_ROUTES: readonly string[] = [PLAYER_ROUTES.assets];

/**
 * What the public port serves: the player routes, plus liveness so a load balancer can health-check
 * the very port it sends traffic to (liveness says nothing but "ok").
 */
export const PUBLIC_EXACT_ROUTES: readonly string[] = [
  ...Object.values(PLAYER_ROUTES).filter((route) => !PREFIX_ROUTES.includes(route)),
  OPERATOR_ROUTES.liveness,
];

export const OPERATIONAL_ROUTES: readonly string[] = Object.values(OPERATOR_ROUTES);

/** Routes chaos may never target: operators must see the truth while faults are injected. */
export const CHAOS_PROTECTED_ROUTES: readonly string[] = [...OPERATIONAL_ROUTES, ...Object.values(ADMIN_ROUTES)];

/** The chaos targets by default: the player API. */
export const DEFAULT_CHAOS_ROUTES: readonly string[] = [PLAYER_ROUTES.score, PLAYER_ROUTES.leaderboard];

export const PORTS = {
  /** Everything: API, probes, /metrics, /chaos (PORT). */
  main: 8080,
  /** The player routes only (PUBLIC_PORT): every exposure targets it. */
  public: 8081,
} as const;

/** Everything, the drain delay included, finishes within this after SIGTERM, or the process exits 1. */
export const SHUTDOWN_DEADLINE_MS = 25_000;

/** Kubernetes' grace period: the deadline plus room for the kubelet before it sends SIGKILL. */
export const TERMINATION_GRACE_SECONDS = SHUTDOWN_DEADLINE_MS / 1000 + 5;
