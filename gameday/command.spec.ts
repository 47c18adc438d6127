import { join } from 'node:path';
import { GAMEDAY_USAGE, GamedayUsageError, parseGamedayCommand, SCENARIO_DIR, shippedScenarios } from './command.ts';

describe('npm run gameday -- …', () => {
  it('ships the scenarios the README lists, and names them in the usage', () => {
    expect(shippedScenarios()).toEqual(['bad-release', 'error-burst-score', 'latency-leaderboard', 'pod-kill', 'smoke', 'storage-fault']);
    for (const name of shippedScenarios()) expect(GAMEDAY_USAGE()).toContain(name);
  });

  it("defaults to npm run observe's addresses and takes a shipped scenario by name or a file by path", () => {
    expect(parseGamedayCommand(['smoke'])).toMatchObject({
      scenarioFile: join(SCENARIO_DIR, 'smoke.ts'),
      target: 'http://127.0.0.1:8081',
      admin: 'http://127.0.0.1:8080',
      prometheus: 'http://127.0.0.1:9090',
      alertmanager: 'http://127.0.0.1:9093',
      jaeger: 'http://127.0.0.1:16686',
      players: undefined,
      rateWindow: '30s',
    });
    expect(parseGamedayCommand(['gamedays/pod-kill.ts', '--context', 'kind-drafty-bird', '--players', '0', '--alertmanager', '', '-f', 'e2e/values.yaml'], join(SCENARIO_DIR, '..'))).toMatchObject({
      scenarioFile: join(SCENARIO_DIR, 'pod-kill.ts'),
      context: 'kind-drafty-bird',
      players: 0,
      alertmanager: undefined,
      valuesFiles: [join(SCENARIO_DIR, '..', 'e2e', 'values.yaml')],
    });
  });

  it.each([
    [[], /which scenario/],
    [['smoke', 'pod-kill'], /one scenario at a time/],
    [['no-such-scenario'], /no scenario "no-such-scenario": shipped ones are bad-release, /],
    [['smoke', '--prometheus', 'localhost:9090'], /--prometheus must be an http\(s\) URL/],
    [['smoke', '--players', '1.5'], /--players must be an integer/],
    [['smoke', '--rate-window', '30 seconds'], /--rate-window/],
    [['smoke', '--bogus'], /Unknown option/],
  ])('refuses %j with a message', (argv, message) => {
    expect(() => parseGamedayCommand(argv)).toThrow(GamedayUsageError);
    expect(() => parseGamedayCommand(argv)).toThrow(message);
  });
});
