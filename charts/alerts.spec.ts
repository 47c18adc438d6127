import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describeWithTool, promtool } from '../test/support/required-tool.ts';
import { APP_JOB, ruleFile } from './observability/prometheus-config.ts';
import { SLO_DEFAULTS } from './observability/slo.ts';


const series = (labels: string, values: string) => ({ series: `${labels.replace('{', `{job="${APP_JOB}",`)}`, values });
const alertsAt = (evalTime: string, alertname: string, exp: unknown[] = []) => ({ eval_time: evalTime, alertname, exp_alerts: exp });

/**
 * The rules the chart ships, proven by promtool against crafted series: each alert fires on a failing
 * series and stays quiet on a healthy one.
 */
describeWithTool('alert rules', promtool(), () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'drafty-rules-'));
    writeFileSync(join(dir, 'alerts.yml'), stringify(ruleFile()));
    // promtool test rules compares rendered annotations too; the unit tests are about when alerts fire,
    // so they run on the same rules (same expr, for and labels) without the prose.
    const rules = ruleFile();
    for (const group of rules.groups) for (const rule of group.rules) (rule as { annotations?: unknown }).annotations = undefined;
    writeFileSync(join(dir, 'alerts-no-annotations.yml'), stringify(JSON.parse(JSON.stringify(rules))));
    // PostgreSQL mode's rules: the same, with a minimum of two ready replicas.
    const scaleOut = ruleFile({ minReplicas: 2 });
    for (const group of scaleOut.groups) for (const rule of group.rules) (rule as { annotations?: unknown }).annotations = undefined;
    writeFileSync(join(dir, 'alerts-ha-no-annotations.yml'), stringify(JSON.parse(JSON.stringify(scaleOut))));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) => spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });

  it('pass promtool check rules', () => {
    const result = run('check', 'rules', 'alerts.yml');
    const count = ruleFile().groups.reduce((sum, group) => sum + group.rules.length, 0);
    expect(result.stdout + result.stderr).toContain(`SUCCESS: ${count} rules found`);
    expect(result.status).toBe(0);
  });

  it('fire on failing series and stay quiet on healthy ones (promtool test rules)', () => {
    const tests = {
      rule_files: ['alerts-no-annotations.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          // 2% errors: 98 ok + 2 failed per minute, for 15 minutes.
          interval: '1m',
          input_series: [
            series('http_requests_total{route="/score",method="POST",status="201"}', '0+98x15'),
            series('http_requests_total{route="/score",method="POST",status="503"}', '0+2x15'),
          ],
          alert_rule_test: [
            alertsAt('4m', 'DraftyBirdHighErrorRate'),
            alertsAt('12m', 'DraftyBirdHighErrorRate', [{ exp_labels: { severity: 'page' } }]),
          ],
        },
        {
          // 0.5% errors: quiet.
          interval: '1m',
          input_series: [
            series('http_requests_total{route="/score",method="POST",status="201"}', '0+199x15'),
            series('http_requests_total{route="/score",method="POST",status="503"}', '0+1x15'),
          ],
          alert_rule_test: [alertsAt('12m', 'DraftyBirdHighErrorRate')],
        },
        {
          // Every request between 0.5 s and 1 s: p99 ~ 1 s, fires.
          interval: '1m',
          input_series: [
            series('http_request_duration_seconds_bucket{le="0.25"}', '0+0x15'),
            series('http_request_duration_seconds_bucket{le="0.5"}', '0+0x15'),
            series('http_request_duration_seconds_bucket{le="1"}', '0+100x15'),
            series('http_request_duration_seconds_bucket{le="+Inf"}', '0+100x15'),
          ],
          alert_rule_test: [alertsAt('12m', 'DraftyBirdHighLatencyP99', [{ exp_labels: { severity: 'page' } }])],
        },
        {
          // Every request under 250 ms: quiet.
          interval: '1m',
          input_series: [
            series('http_request_duration_seconds_bucket{le="0.25"}', '0+100x15'),
            series('http_request_duration_seconds_bucket{le="0.5"}', '0+100x15'),
            series('http_request_duration_seconds_bucket{le="1"}', '0+100x15'),
            series('http_request_duration_seconds_bucket{le="+Inf"}', '0+100x15'),
          ],
          alert_rule_test: [alertsAt('12m', 'DraftyBirdHighLatencyP99')],
        },
        {
          // Target down from minute 5; up before.
          interval: '1m',
          input_series: [series('up{instance="app:8080"}', '1 1 1 1 1 0 0 0 0 0')],
          alert_rule_test: [
            alertsAt('4m', 'DraftyBirdDown'),
            alertsAt('8m', 'DraftyBirdDown', [{ exp_labels: { severity: 'page' } }]),
          ],
        },
        {
          // No target at all (no pod): absent() fires.
          interval: '1m',
          input_series: [],
          alert_rule_test: [alertsAt('3m', 'DraftyBirdDown', [{ exp_labels: { severity: 'page' } }])],
        },
        {
          interval: '1m',
          input_series: [
            series('drafty_bird_chaos_injections_total{type="error"}', '0+5x10'),
            series('drafty_bird_chaos_injections_total{type="latency"}', '0+0x10'),
          ],
          alert_rule_test: [alertsAt('5m', 'DraftyBirdChaosInjecting', [{ exp_labels: { severity: 'info' } }])],
        },
        {
          interval: '1m',
          input_series: [series('drafty_bird_chaos_injections_total{type="error"}', '0+0x10')],
          alert_rule_test: [alertsAt('5m', 'DraftyBirdChaosInjecting')],
        },
        {
          // Enabled with no expiry for three hours: left on.
          interval: '1m',
          input_series: [series('drafty_bird_chaos_enabled{instance="a"}', '1x180'), series('drafty_bird_chaos_expiry_timestamp_seconds{instance="a"}', '0x180')],
          alert_rule_test: [alertsAt('60m', 'DraftyBirdChaosLeftOn'), alertsAt('150m', 'DraftyBirdChaosLeftOn', [{ exp_labels: { severity: 'ticket' } }])],
        },
        {
          // A stdout nobody reads for a few minutes: lines dropped on one replica, the other fine.
          interval: '1m',
          input_series: [
            series('drafty_bird_log_lines_dropped_total{instance="a"}', '0 0 0 0 0 400 900 1500 1500 1500 1500 1500 1500 1500 1500 1500 1500'),
            series('drafty_bird_log_lines_dropped_total{instance="b"}', '0x16'),
          ],
          alert_rule_test: [
            alertsAt('4m', 'DraftyBirdLogLinesDropped'),
            alertsAt('7m', 'DraftyBirdLogLinesDropped', [{ exp_labels: { severity: 'ticket', instance: 'a' } }]),
            // Once stdout drains again, the alert resolves after the 5-minute window.
            alertsAt('14m', 'DraftyBirdLogLinesDropped'),
          ],
        },
        {
          // Enabled but time-boxed: a game day in progress, not forgotten.
          interval: '1m',
          input_series: [series('drafty_bird_chaos_enabled{instance="a"}', '1x180'), series('drafty_bird_chaos_expiry_timestamp_seconds{instance="a"}', '1999999999x180')],
          alert_rule_test: [alertsAt('150m', 'DraftyBirdChaosLeftOn')],
        },
      ],
    };
    writeFileSync(join(dir, 'alerts.test.yml'), stringify(tests));
    const result = run('test', 'rules', 'alerts.test.yml');
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  it('scale-out: fewer ready replicas than the minimum, and a database unreachable from a replica, fire; a healthy pair does not', () => {
    const tests = {
      rule_files: ['alerts-ha-no-annotations.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          // Two replicas ready, then b reports not ready (its database is gone) from minute 4.
          interval: '1m',
          input_series: [
            series('drafty_bird_ready{instance="a"}', '1x12'),
            series('drafty_bird_ready{instance="b"}', '1 1 1 1 0 0 0 0 0 0 0 0'),
            series('drafty_bird_storage_up{instance="a",engine="postgres"}', '1x12'),
            series('drafty_bird_storage_up{instance="b",engine="postgres"}', '1 1 1 1 0 0 0 0 0 0 0 0'),
          ],
          alert_rule_test: [
            alertsAt('3m', 'DraftyBirdReplicasBelowMinimum'),
            alertsAt('3m', 'DraftyBirdDatabaseUnreachable'),
            alertsAt('7m', 'DraftyBirdReplicasBelowMinimum', [{ exp_labels: { severity: 'ticket' } }]),
            alertsAt('7m', 'DraftyBirdDatabaseUnreachable', [{ exp_labels: { severity: 'page', instance: 'b', engine: 'postgres' } }]),
          ],
        },
        {
          // Replica b vanishes (its series stop): counted as not ready.
          interval: '1m',
          input_series: [series('drafty_bird_ready{instance="a"}', '1x20'), series('drafty_bird_ready{instance="b"}', '1 1 1')],
          alert_rule_test: [alertsAt('2m', 'DraftyBirdReplicasBelowMinimum'), alertsAt('12m', 'DraftyBirdReplicasBelowMinimum', [{ exp_labels: { severity: 'ticket' } }])],
        },
      ],
    };
    writeFileSync(join(dir, 'alerts-ha.test.yml'), stringify(tests));
    const result = run('test', 'rules', 'alerts-ha.test.yml');
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });

  const noProse = (rules: ReturnType<typeof ruleFile>) => {
    for (const group of rules.groups) for (const rule of group.rules) (rule as { annotations?: unknown }).annotations = undefined;
    return stringify(JSON.parse(JSON.stringify(rules)));
  };
  /** Player traffic per minute: `ok` fine, `bad` 5xx; the 5xx series starts flat at 0 so it exists. */
  const playerSeries = (ok: string, bad: string) => [
    series('http_requests_total{route="/score",method="POST",status="201"}', ok),
    series('http_requests_total{route="/score",method="POST",status="503"}', bad),
  ];
  const burns = (slo: string, ...severities: string[]) => severities.map((severity) => ({ exp_labels: { severity, slo } }));

  it('SLO burn rates (30-day window): page on a fast burn, ticket on a slow one, quiet when healthy and on a burst the budget absorbs', () => {
    writeFileSync(join(dir, 'slo.yml'), noProse(ruleFile()));
    const tests = {
      rule_files: ['slo.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          // 20% errors: 14.4× the 0.5% budget over 1 h and 5 m — page (and the slower pairs agree: ticket too).
          interval: '1m',
          input_series: playerSeries('0+800x90', '0+200x90'),
          alert_rule_test: [alertsAt('10m', 'DraftyBirdAvailabilityBudgetBurn', burns('availability', 'page', 'ticket'))],
        },
        {
          // 2%: above the ticket pairs' 3× (1.5%), under the page pairs' 6× (3%).
          interval: '1m',
          input_series: playerSeries('0+980x180', '0+20x180'),
          alert_rule_test: [alertsAt('170m', 'DraftyBirdAvailabilityBudgetBurn', burns('availability', 'ticket'))],
        },
        {
          // 0.1%: within the objective.
          interval: '1m',
          input_series: playerSeries('0+999x180', '0+1x180'),
          alert_rule_test: [alertsAt('170m', 'DraftyBirdAvailabilityBudgetBurn'), alertsAt('170m', 'DraftyBirdErrorBudgetExhausted')],
        },
        {
          // A day of healthy traffic, then half the requests fail for 3 minutes: the 5-minute window
          // burns, but no long window does: nothing pages, nothing tickets, during or after.
          interval: '1m',
          input_series: playerSeries('0+1000x1810', '0x1560 1000+1000x2 3000x246'),
          alert_rule_test: [
            alertsAt('1563m', 'DraftyBirdAvailabilityBudgetBurn'),
            alertsAt('1570m', 'DraftyBirdAvailabilityBudgetBurn'),
            alertsAt('1620m', 'DraftyBirdAvailabilityBudgetBurn'),
          ],
        },
        {
          // Latency: 20% of player requests slower than 500 ms — page and ticket on the latency SLO.
          interval: '1m',
          input_series: [
            series('http_request_duration_seconds_bucket{route="/leaderboard",method="GET",le="0.5"}', '0+800x60'),
            series('http_request_duration_seconds_count{route="/leaderboard",method="GET"}', '0+1000x60'),
            series('http_requests_total{route="/leaderboard",method="GET",status="200"}', '0+1000x60'),
          ],
          alert_rule_test: [alertsAt('10m', 'DraftyBirdLatencyBudgetBurn', burns('latency', 'page', 'ticket')), alertsAt('10m', 'DraftyBirdAvailabilityBudgetBurn')],
        },
        {
          // Probes and scrapes are not players: 100% failing /readyz burns nothing.
          interval: '1m',
          input_series: [...playerSeries('0+1000x60', '0x60'), series('http_requests_total{route="/readyz",method="GET",status="503"}', '0+1000x60')],
          alert_rule_test: [alertsAt('30m', 'DraftyBirdAvailabilityBudgetBurn')],
        },
        {
          // Every error from the start: the 30-day budget (sums over the window) is spent.
          interval: '1m',
          input_series: playerSeries('0+900x30', '0+100x30'),
          alert_rule_test: [alertsAt('20m', 'DraftyBirdErrorBudgetExhausted', [{ exp_labels: { severity: 'ticket', slo: 'availability' } }])],
        },
        {
          // No http_requests_total at all for 10 minutes: the SLOs are blind.
          interval: '1m',
          input_series: [series('up{instance="app:8080"}', '1x20')],
          alert_rule_test: [alertsAt('5m', 'DraftyBirdSLOMetricAbsent'), alertsAt('15m', 'DraftyBirdSLOMetricAbsent', [{ exp_labels: { severity: 'ticket', job: APP_JOB } }])],
        },
      ],
    };
    writeFileSync(join(dir, 'slo.test.yml'), stringify(tests));
    const result = run('test', 'rules', 'slo.test.yml');
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.status).toBe(0);
  }, 60_000);

  it('a game-day SLO window (1 h) scales every window: the same burn pages within minutes, where the 30-day rules do not page', () => {
    const gameDay = ruleFile({ slo: { ...SLO_DEFAULTS, window: '1h', minWindow: '1m' } });
    writeFileSync(join(dir, 'slo-game-day.yml'), noProse(gameDay));
    writeFileSync(join(dir, 'slo-30d.yml'), noProse(ruleFile()));
    // An hour of healthy traffic, then 20% errors.
    const input = playerSeries('0+800x90', '0x60 0+200x30');
    const test = (file: string, expected: unknown[]) => ({
      rule_files: [file],
      evaluation_interval: '30s',
      tests: [{ interval: '30s', input_series: input.map((s) => ({ ...s, values: s.values })), alert_rule_test: [alertsAt('34m', 'DraftyBirdAvailabilityBudgetBurn', expected)] }],
    });
    // Series are per 30 s here: 60 steps = 30 minutes of healthy traffic, then errors from minute 30.
    writeFileSync(join(dir, 'game-day.test.yml'), stringify(test('slo-game-day.yml', burns('availability', 'page', 'ticket'))));
    // (Over 34 minutes of history the 30-day ticket pairs see the burn too; the page pairs do not.)
    writeFileSync(join(dir, 'thirty-days.test.yml'), stringify(test('slo-30d.yml', burns('availability', 'ticket'))));
    for (const file of ['game-day.test.yml', 'thirty-days.test.yml']) {
      const result = run('test', 'rules', file);
      expect(`${file}: ${result.stdout}${result.stderr}`).toContain('SUCCESS');
    }
  });

  it('really fail when an alert that should fire does not (the harness can fail)', () => {
    writeFileSync(
      join(dir, 'wrong.test.yml'),
      stringify({
        rule_files: ['alerts-no-annotations.yml'],
        evaluation_interval: '1m',
        tests: [{ interval: '1m', input_series: [series('up{instance="a"}', '1x10')], alert_rule_test: [alertsAt('8m', 'DraftyBirdDown', [{ exp_labels: { severity: 'page' } }])] }],
      }),
    );
    expect(run('test', 'rules', 'wrong.test.yml').status).not.toBe(0);
  });
});
