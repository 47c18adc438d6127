import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describeWithTool, promtool } from '../test/support/required-tool.ts';
import { APP_JOB, ruleFile } from './observability/prometheus-config.ts';


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
    expect(result.stdout + result.stderr).toContain('SUCCESS: 6 rules found');
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
