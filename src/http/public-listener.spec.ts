import { isPublicPath } from './public-listener.ts';

describe('isPublicPath', () => {
  it.each(['/', '/index.html', '/favicon.svg', '/score', '/leaderboard', '/leaderboard?limit=5', '/game-start', '/assets/index-abc.js', '/healthz'])(
    'lets %s through',
    (path) => expect(isPublicPath(path)).toBe(true),
  );

  it.each([
    '/metrics',
    '/chaos',
    '/readyz',
    '/assets/',
    '/assets/../metrics',
    '/assets/%2e%2e/metrics',
    '/assets/..%2fmetrics',
    '/assets/x%2F..%2F..%2Fchaos',
    '/score/../chaos',
    '/metrics?x=/score',
    '/Score',
    '/assets\\..\\metrics',
    '//metrics',
  ])('refuses %s', (path) => expect(isPublicPath(path)).toBe(false));
});
