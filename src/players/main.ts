/**
 * `npm run players -- --target URL …` (see PLAYERS_USAGE): synthetic players against one service
 * address, with their own view in Prometheus metrics. Also the players' container command.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { Crowd } from './crowd.ts';
import { PlayerMetrics } from './player-metrics.ts';
import { parsePlayersCommand, type PlayersCommand, PlayersUsageError, PLAYERS_USAGE } from './players.command.ts';

const SUMMARY_EVERY_MS = 15_000;

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(command: PlayersCommand): Promise<void> {
  const metrics = new PlayerMetrics();
  let arriving = false;
  const server = await serveMetrics(metrics, command, () => arriving);
  const address = server.address() as { port: number };
  const random = command.seed === null ? Math.random : seeded(command.seed);
  const crowd = new Crowd({ ...command, random, metrics, onError: (error) => process.stderr.write(`players: a visit failed: ${String(error)}\n`) });
  say(
    `players: up to ${command.players} playing against ${command.target.origin} (arrivals ${command.arrivalRate}/s after a ${command.rampMs / 1000} s ramp); ` +
      `their metrics on http://${command.metricsHost}:${address.port}/metrics`,
  );
  crowd.start();
  arriving = true;
  const summary = setInterval(() => void summarize(metrics).then(say), SUMMARY_EVERY_MS);
  const stopped = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stopped.abort());
  const timer = command.durationMs === null ? undefined : setTimeout(() => stopped.abort(), command.durationMs);
  await once(stopped.signal, 'abort');
  clearTimeout(timer);
  clearInterval(summary);
  await crowd.stop();
  say(`${await summarize(metrics)} — stopped`);
  server.close();
  server.closeAllConnections();
}

function seeded(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => uniformFloat64(rng);
}

/** /metrics, /healthz, and /readyz: ready once players are arriving (the crowd starts right after this listens). */
async function serveMetrics(metrics: PlayerMetrics, command: PlayersCommand, isReady: () => boolean): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url === '/metrics') {
      void metrics.registry.metrics().then((text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text));
    } else if (request.url === '/readyz') {
      const ready = isReady();
      response.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ok\n' : 'starting\n');
    } else if (request.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: /metrics, /healthz or /readyz\n');
    }
  });
  server.listen(command.metricsPort, command.metricsHost);
  await once(server, 'listening');
  return server;
}

/** One line of what players saw so far: games, requests, failures (5xx and no answer). */
async function summarize(metrics: PlayerMetrics): Promise<string> {
  const requests = (await metrics.requests.get()).values;
  const total = requests.reduce((sum, v) => sum + v.value, 0);
  const failed = requests.filter((v) => v.labels.status === 'no_answer' || String(v.labels.status).startsWith('5')).reduce((sum, v) => sum + v.value, 0);
  const games = (await metrics.games.get()).values;
  const stored = games.find((v) => v.labels.outcome === 'stored')?.value ?? 0;
  const active = (await metrics.active.get()).values[0]?.value ?? 0;
  return `players: ${active} playing, ${stored} scores stored, ${total} requests, ${failed} failed`;
}

try {
  await main(parsePlayersCommand(process.argv.slice(2)));
} catch (error) {
  if (!(error instanceof PlayersUsageError)) throw error;
  process.stderr.write(`players: ${error.message}\n\n${PLAYERS_USAGE}\n`);
  process.exitCode = 2;
}
