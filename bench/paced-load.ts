import { Agent, request } from 'node:http';

export interface PacedResult {
  sent: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

/** One kind of request in a paced mix, sent `weight` times as often as a weight of 1. */
export interface PacedTarget {
  name: string;
  weight: number;
  path: string;
  method?: string;
  /** A fixed body, or one per request (each score carries its own run). */
  body?: string | (() => string);
}

/**
 * The order requests of a mix are sent in: smooth weighted round-robin (nginx's), so each kind is
 * spread evenly over the run instead of arriving in blocks.
 */
export function mixOrder(weights: readonly number[], count: number): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const current = weights.map(() => 0);
  const order: number[] = [];
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let k = 0; k < weights.length; k++) {
      current[k]! += weights[k]!;
      if (current[k]! > current[best]!) best = k;
    }
    current[best]! -= total;
    order.push(best);
  }
  return order;
}

/**
 * Open-loop load at a fixed rate, evenly paced: request i is due at start + i/rate, whatever happened
 * to the previous ones, and its latency is counted from when it was due (no coordinated omission).
 * autocannon's `overallRate` releases each second's requests in bursts, which puts ~20 ms of
 * queueing into the p99 of even a bare server; this generator does not. With several targets, they
 * share the rate by weight and each gets its own latency figures.
 */
export async function pacedMix(origin: string, targets: readonly PacedTarget[], options: { rate: number; seconds: number }): Promise<Record<string, PacedResult>> {
  const base = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const latencies = targets.map((): number[] => []);
  const errors = targets.map(() => 0);
  let inFlight = 0;
  const total = options.rate * options.seconds;
  const order = mixOrder(targets.map((target) => target.weight), total);
  const interval = 1000 / options.rate;
  const start = performance.now();
  let next = 0;

  const fire = (due: number, k: number) => {
    const target = targets[k]!;
    inFlight += 1;
    const body = typeof target.body === 'function' ? target.body() : target.body;
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path: target.path,
        method: target.method ?? 'GET',
        agent,
        headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === undefined || res.statusCode >= 400) errors[k]! += 1;
          latencies[k]!.push(performance.now() - due);
          inFlight -= 1;
        });
      },
    );
    req.on('error', () => {
      errors[k]! += 1;
      inFlight -= 1;
    });
    req.end(body);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        fire(start + next * interval, order[next]!);
        next += 1;
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
      else {
        const drain = () => (inFlight === 0 ? resolve() : setTimeout(drain, 5));
        drain();
      }
    };
    tick();
  });
  agent.destroy();
  return Object.fromEntries(targets.map((target, k) => [target.name, summarize(latencies[k]!, errors[k]!)]));
}

function summarize(latencies: number[], errors: number): PacedResult {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2));
  return { sent: latencies.length, errors, p50: at(0.5), p99: at(0.99), max: at(1) };
}

/** One kind of request at a fixed rate (see pacedMix). */
export async function pacedLoad(url: string, options: { rate: number; seconds: number; method?: string; body?: string | (() => string) }): Promise<PacedResult> {
  const target = new URL(url);
  const results = await pacedMix(target.origin, [{ name: 'only', weight: 1, path: target.pathname + target.search, method: options.method, body: options.body }], options);
  return results.only!;
}
