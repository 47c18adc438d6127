import { parsePlayersCommand, PLAYERS_METRICS_PORT, PlayersUsageError } from './players.command.ts';

describe('npm run players -- …', () => {
  it('takes the documented flags and defaults', () => {
    expect(parsePlayersCommand(['--target', 'http://127.0.0.1:8081'])).toMatchObject({
      target: new URL('http://127.0.0.1:8081'),
      players: 8,
      arrivalRate: 0.5,
      rampMs: 30_000,
      durationMs: null,
      headers: {},
      metricsPort: PLAYERS_METRICS_PORT,
      metricsHost: '127.0.0.1',
      seed: null,
    });
    expect(
      parsePlayersCommand(['--target', 'https://game.example', '--players', '40', '--arrival-rate', '2.5', '--ramp', '0', '--duration', '5m', '--header', 'X-Drafty-Cohort=synthetic', '--header', 'x-team=sre=1', '--seed', '42']),
    ).toMatchObject({ players: 40, arrivalRate: 2.5, rampMs: 0, durationMs: 300_000, headers: { 'x-drafty-cohort': 'synthetic', 'x-team': 'sre=1' }, seed: 42 });
  });

  it.each([
    [[], /--target is required/],
    [['--target', 'ftp://x'], /http\(s\) URL/],
    [['--target', 'http://x', '--players', '0'], /--players must be an integer/],
    [['--target', 'http://x', '--arrival-rate', '-1'], /--arrival-rate/],
    [['--target', 'http://x', '--duration', 'soon'], /--duration must be a duration/],
    [['--target', 'http://x', '--header', 'authorization=Bearer x'], /--header must be NAME=VALUE/],
    [['--target', 'http://x', '--header', 'novalue'], /--header must be NAME=VALUE/],
    [['--target', 'http://x', '--bogus'], /Unknown option/],
  ])('refuses %j with a message', (argv, message) => {
    expect(() => parsePlayersCommand(argv)).toThrow(PlayersUsageError);
    expect(() => parsePlayersCommand(argv)).toThrow(message);
  });
});
