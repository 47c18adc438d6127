import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch as undiciFetch } from 'undici';
import { isPublicPath } from '../../src/http/public-listener.ts';
import { type Fetch, type HeldRun, postPlayedScore, startRun } from './play.ts';

/** Where a deployment is reached: players through the public port, operators on the main port. */
export interface Endpoints {
  /** What players reach (PUBLIC_PORT; kind's NodePort, the load balancer). */
  publicUrl: string;
  /** Inside the cluster only: /readyz, /metrics, /chaos (a port-forward to :8080 on kind). */
  adminUrl: string;
}

/** Clients get distinct loopback source addresses, so each is its own client IP to the rate limiter. */
let nextLoopbackHost = 2 + Math.floor(Math.random() * 200);

/**
 * HTTP to the deployment as one client, the way browsers and load balancers talk: a keep-alive
 * connection pool (undici), player routes to the public port and everything else to the main port, as
 * the NetworkPolicies route them. Against a local process each client has its own loopback address
 * (its own rate-limit budget, no X-Forwarded-For needed); against a shared deployment, scenarios that
 * are not about rate limits wait out Retry-After on 429s and say so.
 */
export class Client {
  readonly sourceAddress?: string;
  private readonly agent: Agent;

  /** `onResponse`: sees every answer (a clone), e.g. to check it against the OpenAPI document. */
  constructor(
    readonly endpoints: Endpoints,
    private readonly onResponse?: (method: string, path: string, response: Response) => void,
  ) {
    const local = [endpoints.publicUrl, endpoints.adminUrl].every((url) => new URL(url).hostname === '127.0.0.1');
    this.sourceAddress = local ? `127.0.0.${nextLoopbackHost++ % 254 || 1}` : undefined;
    this.agent = new Agent({ keepAliveTimeout: 30_000, connect: this.sourceAddress ? { localAddress: this.sourceAddress } : {} });
  }

  /** The URL a request for `path` goes to. */
  urlOf(path: string): string {
    return `${isPublicPath(path) ? this.endpoints.publicUrl : this.endpoints.adminUrl}${path}`;
  }

  async request(path: string, init: RequestInit & { patientWith429?: boolean } = {}): Promise<Response> {
    const { patientWith429 = true, ...rest } = init;
    for (let attempt = 0; ; attempt++) {
      const res = (await undiciFetch(this.urlOf(path), { ...(rest as object), dispatcher: this.agent })) as unknown as Response;
      this.onResponse?.(rest.method ?? 'GET', path, res.clone());
      if (res.status !== 429 || !patientWith429 || attempt >= 2) return res;
      const wait = Number(res.headers.get('retry-after') ?? 1);
      await res.arrayBuffer();
      console.warn(`429 from ${path}: waiting ${wait}s (shared deployment rate limit)`);
      await sleep(wait * 1000);
    }
  }

  post(path: string, body: unknown, headers: Record<string, string> = {}, patientWith429 = true): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      patientWith429,
    });
  }

  /** POST /game-start on this client's connections: a run to score. */
  startRun(headers?: Record<string, string>): Promise<HeldRun> {
    return startRun(this.endpoints.publicUrl, { fetch: this.fetch, headers });
  }

  /**
   * POST /score as the game sends it: with `run` (or a new one), held as long as the score needs —
   * so keep scores small (a point is ~1.7 s). `client.post('/score', …)` sends a body as it is.
   */
  postScore(body: { player?: string; score: number }, options: { run?: HeldRun; headers?: Record<string, string> } = {}): Promise<Response> {
    return postPlayedScore(this.endpoints.publicUrl, body, { fetch: this.fetch, ...options });
  }

  private readonly fetch: Fetch = (url, init) => this.request(url.slice(this.endpoints.publicUrl.length), init);

  async json<T = unknown>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.request(path, init)).json()) as T;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
