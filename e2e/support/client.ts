import { setTimeout as sleep } from 'node:timers/promises';

/**
 * HTTP to the deployment as one client: a per-file X-Forwarded-For (honoured where the suite started
 * the service with TRUST_PROXY) and, for scenarios that are not about rate limits, patience with 429s
 * from a shared deployment (waits out Retry-After instead of failing).
 */
export class Client {
  readonly ip = `198.51.100.${1 + Math.floor(Math.random() * 250)}`;

  constructor(readonly baseUrl: string) {}

  async request(path: string, init: RequestInit & { patientWith429?: boolean } = {}): Promise<Response> {
    const { patientWith429 = true, ...rest } = init;
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${this.baseUrl}${path}`, { ...rest, headers: { 'x-forwarded-for': this.ip, ...(rest.headers as Record<string, string>) } });
      if (res.status !== 429 || !patientWith429 || attempt >= 2) return res;
      const wait = Number(res.headers.get('retry-after') ?? 1);
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

  async json<T = unknown>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.request(path, init)).json()) as T;
  }
}
