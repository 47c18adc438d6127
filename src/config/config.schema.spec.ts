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
      postgres: undefined,
      chaosAdminToken: undefined,
      chaos: { enabled: false, errorRate: 0, errorStatus: 503, latencyMsP50: 0, latencyMsP99: 0, routes: ['/score', '/leaderboard'], methods: [], header: null, storageLatencyMs: 0, storageFailureRate: 0, seed: null },
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
      CHAOS_METHODS: 'post, get',
      CHAOS_HEADER: 'X-Cohort=synthetic',
      CHAOS_STORAGE_LATENCY_MS: '250',
      CHAOS_STORAGE_FAILURE_RATE: '0.1',
      CHAOS_SEED: '42',
    });
    expect(config).toMatchObject({ port: 9000, host: '127.0.0.1', logLevel: 'debug', rateLimitPerMinute: 0, trustProxy: ['10.0.1.0/24'], shutdownDelayMs: 0, runTtlMs: 600_000 });
    expect(config.chaos).toEqual({ enabled: true, errorRate: 0.25, errorStatus: 500, latencyMsP50: 100, latencyMsP99: 400, routes: ['/score', '/game-start'], methods: ['POST', 'GET'], header: { name: 'x-cohort', value: 'synthetic' }, storageLatencyMs: 250, storageFailureRate: 0.1, seed: 42 });
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
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '50'],
    ['DATABASE_SSL_MODE', 'prefer'],
    ['CHAOS_ENABLED', 'yes please'],
    ['CHAOS_ERROR_RATE', '1.5'],
    ['CHAOS_ERROR_RATE', 'half'],
    ['CHAOS_ERROR_STATUS', '404'],
    ['CHAOS_LATENCY_MS_P99', '60001'],
    ['CHAOS_ROUTES', '/healthz'],
    ['CHAOS_ROUTES', 'score'],
    ['CHAOS_SEED', 'abc'],
    ['CHAOS_METHODS', 'BREW'],
    ['CHAOS_HEADER', 'no-equals-sign'],
    ['CHAOS_HEADER', 'bad name=x'],
    ['CHAOS_STORAGE_FAILURE_RATE', '2'],
    ['CHAOS_STORAGE_LATENCY_MS', '-1'],
  ])('rejects %s=%j naming the variable and the value', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`${name} .*\\(got ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
  });

  it('DATABASE_URL selects PostgreSQL with the pool, timeouts and TLS settings', () => {
    const config = parseConfig({
      DATABASE_URL: 'postgresql://drafty%40bird:p%40ss@db.internal:6432/scores',
      DATABASE_POOL_SIZE: '4',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      DATABASE_STATEMENT_TIMEOUT_MS: '3000',
      DATABASE_SSL_MODE: 'verify-full',
      DATABASE_SSL_CA_FILE: '/etc/ssl/rds.pem',
    });
    expect(config.postgres).toEqual({
      host: 'db.internal',
      port: 6432,
      user: 'drafty@bird',
      password: 'p@ss',
      database: 'scores',
      poolSize: 4,
      connectTimeoutMs: 2000,
      statementTimeoutMs: 3000,
      sslMode: 'verify-full',
      sslCaFile: '/etc/ssl/rds.pem',
    });
    expect(parseConfig({ DATABASE_URL: 'postgres://app@db/scores' }).postgres).toMatchObject({ port: 5432, password: undefined, poolSize: 10, sslMode: 'disable' });
  });

  it.each([
    ['mysql://app:pw@db/scores', 'must start with postgres://'],
    ['postgres://app:pw@db', 'must name one database'],
    ['postgres://db/scores', 'must name a user'],
    ['postgres://app:pw@db/scores?sslmode=disable', 'must not carry query parameters'],
    ['not a url', 'must be a URL'],
  ])('DATABASE_URL=%s is refused (%s) without echoing the password', (url, message) => {
    expect(() => parseConfig({ DATABASE_URL: url })).toThrow(message);
    expect(() => parseConfig({ DATABASE_URL: url })).not.toThrow(/:pw@/);
  });

  it('never echoes a secret in a configuration error', () => {
    const message = (() => {
      try {
        parseConfig({ CHAOS_ADMIN_TOKEN: 'short secret', DATABASE_URL: 'postgres://app:s3cret-pass@db/scores?x=1' });
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(message).toContain('CHAOS_ADMIN_TOKEN must be at least 16 characters (use a random secret) (got 12 characters, not shown)');
    expect(message).toContain('DATABASE_URL must not carry query parameters');
    expect(message).toContain('postgres://app:***@db/scores?x=1');
    expect(message).not.toMatch(/short secret|s3cret/);
  });

  it('verify-full needs a CA file, and a CA file needs verify-full', () => {
    expect(() => parseConfig({ DATABASE_URL: 'postgres://app@db/scores', DATABASE_SSL_MODE: 'verify-full' })).toThrow('DATABASE_SSL_CA_FILE must name the CA bundle');
    expect(() => parseConfig({ DATABASE_URL: 'postgres://app@db/scores', DATABASE_SSL_CA_FILE: '/ca.pem' })).toThrow('only used with DATABASE_SSL_MODE=verify-full');
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
