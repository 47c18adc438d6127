import { Agent, request } from 'node:http';

export interface PacedResult {
  sent: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Open-loop load at a fixed rate, evenly paced: request i is due at start + i/rate, whatever happened
 * to the previous ones, and its latency is counted from when it was due (no coordinated omission).
 * autocannon's `overallRate` releases each second's requests in bursts, which puts ~20 ms of
 * queueing into the p99 of even a bare server; this generator does not.
 */
export async function pacedLoad(url: string, options: { rate: number; seconds: number; method?: string; body?: string | (() => string) }): Promise<PacedResult> {
  const target = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  let errors = 0;
  let inFlight = 0;
  const total = options.rate * options.seconds;
  const interval = 1000 / options.rate;
  const start = performance.now();
  let next = 0;

  const fire = (due: number) => {
    inFlight += 1;
    const body = typeof options.body === 'function' ? options.body() : options.body;
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: options.method ?? 'GET',
        agent,
        headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === undefined || res.statusCode >= 400) errors += 1;
          latencies.push(performance.now() - due);
          inFlight -= 1;
        });
      },
    );
    req.on('error', () => {
      errors += 1;
      inFlight -= 1;
    });
    req.end(body);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        fire(start + next * interval);
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
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(2));
  return { sent: total, errors, p50: at(0.5), p99: at(0.99), max: at(1) };
}
