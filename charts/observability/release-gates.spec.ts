import { argoConditions, judge, RELEASE_GATES } from './release-gates.ts';

const gate = (name: string) => RELEASE_GATES.find((g) => g.name === name)!;

describe('release gates', () => {
  it.each([
    ['success-rate', [0.999], 'successful'],
    ['success-rate', [0.995], 'successful'],
    ['success-rate', [0.99], 'failed'],
    ['p99-latency', [0.12], 'successful'],
    ['p99-latency', [0.5], 'failed'],
    ['success-rate', [], 'inconclusive'],
    ['success-rate', [Number.NaN], 'inconclusive'],
    ['p99-latency', [Number.NaN], 'inconclusive'],
  ] as const)('%s on %j is %s', (name, values, verdict) => {
    expect(judge(gate(name), values)).toBe(verdict);
  });

  it('query only the named revision\'s player API, with the alert rules\' PromQL', () => {
    expect(gate('success-rate').query('abc123', '1m')).toBe(
      '(sum(rate(http_requests_total{job="drafty-bird",revision="abc123",route=~"/game-start|/score|/leaderboard",status!~"5.."}[1m])) / sum(rate(http_requests_total{job="drafty-bird",revision="abc123",route=~"/game-start|/score|/leaderboard"}[1m])))',
    );
    expect(gate('p99-latency').query('abc123', '1m')).toContain('revision="abc123"');
  });

  it('render Argo conditions that are both false on an empty or NaN result (inconclusive)', () => {
    expect(argoConditions(gate('success-rate'))).toEqual({
      successCondition: 'len(result) > 0 && !isNaN(result[0]) && result[0] >= 0.995',
      failureCondition: 'len(result) > 0 && !isNaN(result[0]) && result[0] < 0.995',
    });
    expect(argoConditions(gate('p99-latency')).failureCondition).toBe('len(result) > 0 && !isNaN(result[0]) && result[0] >= 0.5');
  });
});
