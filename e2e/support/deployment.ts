import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_NAME } from '../../charts/constructs/app-workload.ts';
import type { Manifest } from '../../charts/synth.ts';
import type { StorageEngine } from '../../src/scores/scores.database.ts';
import { OtlpReceiver } from '../../scripts/lib/otlp-receiver.ts';
import { type PrivateServer, startPrivatePostgres } from '../../test/support/postgres.ts';
import { freePort, type ServerProcess, startServer } from '../../test/support/server-process.ts';
import type { Endpoints } from './client.ts';
import { containerEnv, containerOf, e2eManifests, find, mapMounts, mountFolders, portNamed } from './manifest.ts';
import { type LabelledTarget, ManifestPrometheus, PrometheusApi } from './prometheus.ts';
import { startManifestPlayers } from './players.ts';
import { PLAYERS_METRICS_PORT_NAME, PLAYERS_NAME } from '../../charts/constructs/app-names.ts';
import { AlertReceiver } from '../../scripts/lib/alert-receiver.ts';
import { ManifestAlertmanager } from './alertmanager.ts';
import { JaegerTraceSource, OtlpTraceSource, type TraceSource } from './traces.ts';

/** The service's process, when the suite started it: what kill, signal and file tests need. */
export interface LocalProcess {
  server: ServerProcess;
  dataDir: string;
  /** SQLite's file (sqlite engine). */
  dbPath: string;
  /** The private PostgreSQL server the replicas share (postgres engine). */
  postgres?: PrivateServer;
  /** Where players reach the current process (its public port). */
  readonly endpoints: Endpoints;
  /** Starts the production build again on the same data folder, on new ports. */
  restart(extraEnv?: NodeJS.ProcessEnv): Promise<ServerProcess>;
  /** postgres: one more replica of the Rollout (same environment, own ports); stopped with the deployment. */
  startReplica(extraEnv?: NodeJS.ProcessEnv): Promise<ServerProcess>;
}

export interface Deployment extends Endpoints {
  /** The page a player opens: the public URL. */
  baseUrl: string;
  adminToken?: string;
  prometheus?: PrometheusApi;
  /** The notifications Alertmanager delivered (local deployments started with `alerts`). */
  alerts?: AlertReceiver;
  traces?: TraceSource;
  /** Where tools outside this process read from (a game day run as a user runs it). */
  urls: { prometheus?: string; alertmanager?: string; traces?: string };
  local?: LocalProcess;
  stop(): Promise<void>;
}

export interface DeploymentOptions {
  prometheus?: boolean;
  /** With `prometheus`: the chart's Alertmanager too, delivering to a receiver in this process. */
  alerts?: boolean;
  /** sqlite (default): the `local` StatefulSet; postgres: the `local-ha` Rollout on a private PostgreSQL server. */
  engine?: StorageEngine;
  /** A scenario's own settings on top of the manifest's environment (chaos on, a rate limit off). */
  env?: NodeJS.ProcessEnv;
  /** The players Deployment's container too, playing on the public port, scraped by `prometheus` as its own job. */
  players?: boolean;
}

export const isExternal = () => Boolean(process.env.BASE_URL);

/** Where players (its public port) and operators (its main port) reach a local process. */
export const endpointsOf = (server: ServerProcess): Endpoints => ({ publicUrl: server.publicUrl as string, adminUrl: server.url });

const trimmed = (url: string) => url.replace(/\/$/, '');

/**
 * With BASE_URL: an existing deployment (kind through scripts/e2e-kind.sh, docker compose), nothing
 * started; BASE_URL is what players reach and ADMIN_URL (default: BASE_URL) the main port.
 * Without: the deployment the synthesized `local` manifests describe, run as processes here — see
 * `startFromManifests`.
 */
export async function deploy(options: DeploymentOptions = {}): Promise<Deployment> {
  if (isExternal()) {
    const publicUrl = trimmed(process.env.BASE_URL as string);
    const given = (variable: string) => (process.env[variable] ? trimmed(process.env[variable]) : undefined);
    const urls = { prometheus: given('PROMETHEUS_URL'), alertmanager: given('ALERTMANAGER_URL'), traces: given('JAEGER_URL') };
    return {
      baseUrl: publicUrl,
      publicUrl,
      adminUrl: trimmed(process.env.ADMIN_URL || publicUrl),
      adminToken: process.env.CHAOS_ADMIN_TOKEN || undefined,
      prometheus: urls.prometheus ? new PrometheusApi(urls.prometheus) : undefined,
      traces: urls.traces ? new JaegerTraceSource(urls.traces) : undefined,
      urls,
      stop: async () => undefined,
    };
  }
  return startFromManifests(options);
}

/** The engines a suite runs against: both here; against an external deployment, the one it runs (E2E_ENGINE, default sqlite). */
export function engines(): StorageEngine[] {
  return isExternal() ? [(process.env.E2E_ENGINE as StorageEngine | undefined) ?? 'sqlite'] : ['sqlite', 'postgres'];
}

/**
 * The app container of the synthesized `local` StatefulSet (sqlite) or `local-ha` Deployment
 * (postgres), run as the image runs it: its environment with ConfigMap, Secret and downward-API
 * references resolved, NODE_OPTIONS included. The only differences, each forced by running on a
 * shared machine without a cluster:
 * - the ports named `http` and `public` get free ports (PORT and PUBLIC_PORT follow);
 * - volume mounts (`/data`, `/tmp`) are temp folders, and paths under them are mapped;
 * - the in-cluster Jaeger is an OTLP receiver in this process, the in-cluster PostgreSQL a private
 *   server started here (its DATABASE_URL Secret created as the kind script does);
 * - the chaos admin Secret, which the chart never creates, is created here as the kind script does.
 * Player traffic goes to the public port and operator traffic to the main port, as in the cluster.
 */
export async function startFromManifests(options: DeploymentOptions, given?: readonly Manifest[]): Promise<Deployment> {
  // Given manifests say which engine they run: a Rollout of the app is PostgreSQL mode.
  const postgresMode = given ? given.some((m) => m.kind === 'Rollout' && m.metadata.name === APP_NAME) : options.engine === 'postgres';
  const manifests = given ?? e2eManifests(postgresMode ? 'local-ha' : 'local');
  const workload = find(manifests, postgresMode ? 'Rollout' : 'StatefulSet', APP_NAME);
  const container = containerOf(workload, 'app');
  const root = mkdtempSync(join(tmpdir(), 'drafty-bird-e2e-'));
  const mounts = mountFolders(container, root);
  for (const dir of Object.values(mounts)) mkdirSync(dir, { recursive: true });
  const receiver = new OtlpReceiver();
  const otlp = await receiver.start();
  const adminToken = randomBytes(24).toString('hex');
  const secretOf = (variable: string) => (container.env?.find((e) => e.name === variable)?.valueFrom?.secretKeyRef as { name: string }).name;
  const postgres = postgresMode ? await startPrivatePostgres() : undefined;
  const podEnv = containerEnv(manifests, container, {
    podName: `${APP_NAME}-0`,
    namespace: workload.metadata.namespace as string,
    nodeName: 'e2e-local',
    secrets: {
      [secretOf('CHAOS_ADMIN_TOKEN')]: { token: adminToken },
      ...(postgres ? { [secretOf('DATABASE_URL')]: { url: postgres.appUrl } } : {}),
    },
  });
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(podEnv).map(([name, value]) => [name, mapMounts(value, mounts)]));
  const expectPort = (name: string, portName: string) => {
    if (env[name] !== String(portNamed(container, portName))) throw new Error(`${name}=${env[name]} is not the container port named ${portName}`);
  };
  expectPort('PORT', 'http');
  expectPort('PUBLIC_PORT', 'public');
  const dbPath = env.SCORE_DB_PATH ?? '';
  const startOnFreePorts = async (extra: NodeJS.ProcessEnv = {}) =>
    startServer({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: otlp, ...options.env, ...extra, PORT: String(await freePort()), PUBLIC_PORT: String(await freePort()) });

  let server = await startOnFreePorts();
  const replicas: ServerProcess[] = [];
  const prometheus = options.prometheus ? new ManifestPrometheus(manifests) : undefined;
  const alerts = options.prometheus && options.alerts ? new AlertReceiver() : undefined;
  const alertmanager = alerts ? new ManifestAlertmanager(manifests) : undefined;
  const local: LocalProcess = {
    get server() {
      return server;
    },
    get endpoints() {
      return endpointsOf(server);
    },
    dataDir: mounts['/data'] ?? root,
    dbPath,
    postgres,
    async restart(extraEnv = {}) {
      server = await startOnFreePorts(extraEnv);
      return server;
    },
    async startReplica(extraEnv = {}) {
      if (!postgresMode) throw new Error('one writer: only the postgres engine runs more than one replica');
      const replica = await startOnFreePorts(extraEnv);
      replicas.push(replica);
      return replica;
    },
  };
  const alertmanagerAddress = alerts ? await alertmanager!.start(await alerts.start()) : undefined;
  const players = options.players ? await startManifestPlayers(manifests, server.publicUrl as string) : undefined;
  const targets: LabelledTarget[] = [
    { address: new URL(server.url).host, podLabels: {} },
    ...(players ? [{ address: players.metricsAddress, podLabels: {}, workload: PLAYERS_NAME, portName: PLAYERS_METRICS_PORT_NAME }] : []),
  ];
  const api = await prometheus?.start(targets, alertmanagerAddress);
  return {
    baseUrl: server.publicUrl as string,
    ...endpointsOf(server),
    adminToken,
    prometheus: api,
    alerts,
    traces: new OtlpTraceSource(receiver),
    urls: { prometheus: api?.url, alertmanager: alertmanagerAddress ? `http://${alertmanagerAddress}` : undefined, traces: otlp },
    local,
    async stop() {
      await players?.stop();
      await prometheus?.stop();
      await alertmanager?.stop();
      await alerts?.stop();
      for (const process of [server, ...replicas]) {
        if (process.proc.exitCode === null && process.proc.signalCode === null) {
          process.proc.kill('SIGKILL');
          await process.exited;
        }
      }
      await receiver.stop();
      postgres?.destroy();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** `it` for scenarios that need the process itself; elsewhere reported as skipped with the reason. */
export function localIt(name: string, fn: () => Promise<void>, timeout?: number): void {
  if (isExternal()) it.skip(`${name} [skipped: needs a local process]`, fn);
  else it(name, fn, timeout);
}

/** `describe.each` for groups that run processes here; against a cluster, the cluster runs them. */
export const describeLocal = (): typeof describe => (isExternal() ? describe.skip : describe);
