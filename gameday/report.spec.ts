import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GameDayResult } from './engine.ts';
import { alertStateRows, writeReport } from './report.ts';
import { defineScenario } from './scenario.ts';

const T0 = Date.parse('2026-12-03T10:00:00Z');
const result: GameDayResult = {
  scenario: 'unit',
  verdict: 'failed',
  reasons: ['DraftyBirdHighErrorRate did not fire within 3m of the injection'],
  startedAt: T0,
  injectedAt: T0 + 10_000,
  stoppedAt: T0 + 70_000,
  endedAt: T0 + 100_000,
  timeToDetectMs: 15_000,
  timeToRecoverMs: 20_000,
  alerts: [{ alert: 'Burn{severity="page"}', pendingAt: T0 + 22_000, firingAt: T0 + 25_000, deliveredAt: T0 + 26_000, receivers: ['page'], resolvedAt: T0 + 90_000 }],
  timeline: [
    { at: T0, event: 'baseline', detail: '10s of healthy play' },
    { at: T0 + 10_000, event: 'injected', detail: 'errors | on /score' },
    { at: T0 + 25_000, event: 'firing', detail: 'Burn{severity="page"}' },
    { at: T0 + 90_000, event: 'resolved', detail: 'Burn{severity="page"}' },
  ],
};
const scenario = defineScenario({
  name: 'unit',
  description: 'A scripted run.',
  players: { count: 1, arrivalRate: 1, ramp: '0s' },
  baseline: '10s',
  fault: { description: 'errors', needs: 'service', inject: async () => undefined, stop: async () => undefined },
  duration: '60s',
  expect: { alerts: [{ name: 'Burn', labels: { severity: 'page' }, within: '30s' }], resolveWithin: '60s' },
  guards: [],
});

describe('the game-day report', () => {
  it('writes the verdict, TTD/TTR, the expectations, the timeline relative to the injection and an SVG chart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gameday-report-'));
    try {
      const alerts = [{ labels: { alertname: 'Burn', severity: 'page', alertstate: 'firing' }, points: [[T0 + 25_000, 1], [T0 + 60_000, 1]] as Array<[number, number]> }];
      const path = await writeReport(dir, result, scenario, { errorRatio: [{ labels: {}, points: [[T0, 0], [T0 + 50_000, 0.5]] }], p99Seconds: [], alerts, playersFailureRatio: [[T0 + 20_000, 0.4]] });
      const markdown = readFileSync(path, 'utf8');
      expect(markdown).toContain('# Game day: unit — FAILED');
      expect(markdown).toContain('| Time to detect | 15.0 s');
      expect(markdown).toContain('| Time to recover | 20.0 s');
      expect(markdown).toContain('- DraftyBirdHighErrorRate did not fire within 3m of the injection');
      expect(markdown).toContain('| Burn{severity="page"} | 30s | 10:00:22 | 10:00:25 | 10:00:26 (page) | 10:01:30 |');
      expect(markdown).toContain('| 10:00:00 | −10 s | baseline |');
      expect(markdown).toContain('| 10:00:10 | +0 s | injected | errors \\| on /score |');
      expect(markdown).toContain('![Error ratio, p99 latency and alert state over the run](chart.svg)');
      const svg = readFileSync(join(dir, 'chart.svg'), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      for (const text of ['Error ratio', 'p99 latency', 'Alert state', 'injected', 'fault stopped', 'Burn (page)']) expect(svg).toContain(text);
      expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toEqual(result);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('draws a resolved alert back at 0 (ALERTS has no points once an alert is inactive)', () => {
    const rows = alertStateRows(
      [
        { labels: { alertname: 'Burn', severity: 'page', alertstate: 'pending' }, points: [[T0 + 20_000, 1]] },
        { labels: { alertname: 'Burn', severity: 'page', alertstate: 'firing' }, points: [[T0 + 30_000, 1]] },
      ],
      { startedAt: T0, endedAt: T0 + 60_000 },
    );
    expect(rows.map((row) => [row.t - T0, row.v])).toEqual([[0, 0], [20_000, 0.5], [30_000, 1], [60_000, 0]]);
  });
});
