import { ConfigError, parseConfig } from './config.schema.ts';

describe('parseConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    expect(parseConfig({})).toEqual({
      port: 8080,
      publicPort: undefined,
      host: '0.0.0.0',
      scoreDbPath: './data/db.sqlite',
      logLevel: 'info',
      rateLimitPerMinute: 120,
      trustProxy: false,
      shutdownDelayMs: 5000,
      requestTimeoutMs: 30_000,
      storageRetryMs: 2000,
      runTtlMs: 7_200_000,
      chaosAdminToken: undefined,
      chaos: { enabled: false, errorRate: 0, errorStatus: 503, latencyMsP50: 0, latencyMsP99: 0, routes: ['/score', '/leaderboard'], seed: null },
    });
  });

  it('reads every variable', () => {
    const config = parseConfig({
      PORT: '9000',
      HOST: '127.0.0.1',
      SCORE_DB_PATH: '/data/db.sqlite',
      LOG_LEVEL: 'DEBUG',
      RATE_LIMIT_PER_MINUTE: '0',
      TRUST_PROXY: '10.0.1.0/24',
      SHUTDOWN_DELAY_MS: '0',
      STORAGE_RETRY_MS: '500',
      RUN_TTL_SECONDS: '600',
      CHAOS_ADMIN_TOKEN: 'a-long-enough-secret',
      CHAOS_ENABLED: 'true',
      CHAOS_ERROR_RATE: '0.25',
      CHAOS_ERROR_STATUS: '500',
      CHAOS_LATENCY_MS_P50: '100',
      CHAOS_LATENCY_MS_P99: '400',
      CHAOS_ROUTES: ' /score , /game-start ,',
      CHAOS_SEED: '42',
    });
    expect(config).toMatchObject({ port: 9000, host: '127.0.0.1', logLevel: 'debug', rateLimitPerMinute: 0, trustProxy: ['10.0.1.0/24'], shutdownDelayMs: 0, runTtlMs: 600_000 });
    expect(config.chaos).toEqual({ enabled: true, errorRate: 0.25, errorStatus: 500, latencyMsP50: 100, latencyMsP99: 400, routes: ['/score', '/game-start'], seed: 42 });
  });

  it.each([
    ['false', false],
    ['0', false],
    ['10.0.0.0/16, 10.1.0.5', ['10.0.0.0/16', '10.1.0.5']],
    ['fd00::/8', ['fd00::/8']],
  ])('TRUST_PROXY=%s trusts %j, never any client', (text, trust) => {
    expect(parseConfig({ TRUST_PROXY: text }).trustProxy).toEqual(trust);
  });

  it('TRUST_PROXY=true and hop counts are refused with what to set instead', () => {
    expect(() => parseConfig({ TRUST_PROXY: '1' })).toThrow('a hop count cannot tell a proxy from a client');
    expect(() => parseConfig({ TRUST_PROXY: 'true' })).toThrow("TRUST_PROXY must be false or the comma-separated addresses/CIDRs of the proxies in front (the load balancer's subnets)");
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ PORT: '', CHAOS_SEED: '' }).port).toBe(8080);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['LOG_LEVEL', 'loud'],
    ['RATE_LIMIT_PER_MINUTE', '-1'],
    ['TRUST_PROXY', 'maybe'],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', '1'],
    ['TRUST_PROXY', '10.0.0.0/8, example.com'],
    ['SHUTDOWN_DELAY_MS', '30000'],
    ['RUN_TTL_SECONDS', '59'],
    ['RUN_TTL_SECONDS', '2h'],
    ['CHAOS_ADMIN_TOKEN', 'short'],
    ['CHAOS_ENABLED', 'yes please'],
    ['CHAOS_ERROR_RATE', '1.5'],
    ['CHAOS_ERROR_RATE', 'half'],
    ['CHAOS_ERROR_STATUS', '404'],
    ['CHAOS_LATENCY_MS_P99', '60001'],
    ['CHAOS_ROUTES', '/healthz'],
    ['CHAOS_ROUTES', 'score'],
    ['CHAOS_SEED', 'abc'],
  ])('rejects %s=%j naming the variable and the value', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`${name} .*\\(got ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
  });

  it('rejects P50 above P99 without clamping', () => {
    expect(() => parseConfig({ CHAOS_LATENCY_MS_P50: '500', CHAOS_LATENCY_MS_P99: '100' })).toThrow(/CHAOS_LATENCY_MS_P99 must be greater than or equal/);
  });

  it('reports every problem in one message', () => {
    try {
      parseConfig({ PORT: 'x', LOG_LEVEL: 'y', TRUST_PROXY: 'z' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(3);
      expect((error as Error).message).toMatch(/PORT[\s\S]*LOG_LEVEL[\s\S]*TRUST_PROXY/);
    }
  });
});
