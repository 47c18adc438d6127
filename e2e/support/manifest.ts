import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readValuesFile, resolveValues } from '../../charts/overrides.ts';
import { type Manifest, synthesize } from '../../charts/synth.ts';

/** The values file both the kind run and the local run deploy with. */
export const E2E_VALUES_FILE = join(__dirname, '..', 'values.yaml');

type Env = { name: string; value?: string; valueFrom?: Record<string, Record<string, unknown>> };
export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: Env[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  ports?: Array<{ name: string; containerPort: number }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: Container[]; volumes?: Array<{ name: string; configMap?: { name: string } }> };
}

/** What a pod is told about itself through the downward API, and the Secrets created beside the chart. */
export interface PodContext {
  podName: string;
  namespace: string;
  nodeName: string;
  secrets: Record<string, Record<string, string>>;
}

/** The committed `k8s/<env>/` manifests, as `kubectl apply -f k8s/<env>/` receives them. */
export function committedManifests(env: string): Manifest[] {
  const dir = join(__dirname, '..', '..', 'k8s', env);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => doc.toJSON() as Manifest))
    .filter(Boolean);
}

/** A kind profile's manifests (`local`: SQLite; `local-ha`: PostgreSQL) exactly as `kubectl apply` receives them in the end-to-end runs. */
export function e2eManifests(env: 'local' | 'local-ha' = 'local'): Manifest[] {
  return synthesize(resolveValues(env, [readValuesFile(E2E_VALUES_FILE)]));
}

export function find(manifests: readonly Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the synthesized manifests`);
  return found;
}

/** The pod template of a StatefulSet or Deployment. */
export function podTemplate(workload: Manifest): PodTemplate {
  return (workload.spec as { template: PodTemplate }).template;
}

export function containerOf(workload: Manifest, name: string): Container {
  const container = podTemplate(workload).spec.containers.find((c) => c.name === name);
  if (!container) throw new Error(`no container ${name} in ${workload.kind} ${workload.metadata.name}`);
  return container;
}

export function configMapData(manifests: readonly Manifest[], name: string): Record<string, string> {
  return (find(manifests, 'ConfigMap', name).data ?? {}) as Record<string, string>;
}

/**
 * The environment the kubelet would give the container: `envFrom` first, then `env` in order, with
 * ConfigMap, Secret and downward-API references resolved and `$(VAR)` expanded as Kubernetes does.
 * Anything this cannot resolve is an error, so a new kind of reference cannot slip past the suite.
 */
export function containerEnv(manifests: readonly Manifest[], container: Container, pod: PodContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, configMapData(manifests, source.configMapRef.name));
    else if (source.secretRef) Object.assign(env, pod.secrets[source.secretRef.name] ?? {});
    else throw new Error(`unsupported envFrom ${JSON.stringify(source)}`);
  }
  for (const entry of container.env ?? []) {
    const value = entry.value !== undefined ? expand(entry.value, env) : resolveReference(manifests, entry, pod);
    if (value !== undefined) env[entry.name] = value;
  }
  return env;
}

/** `$(NAME)` refers to a variable defined earlier; `$$(NAME)` is a literal `$(NAME)`. */
function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$\(|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name: string | undefined) =>
    name === undefined ? '$(' : (env[name] ?? match),
  );
}

function resolveReference(manifests: readonly Manifest[], entry: Env, pod: PodContext): string | undefined {
  const from = entry.valueFrom ?? {};
  if (from.configMapKeyRef) {
    const { name, key } = from.configMapKeyRef as { name: string; key: string };
    return configMapData(manifests, name)[key];
  }
  if (from.secretKeyRef) {
    const { name, key, optional } = from.secretKeyRef as { name: string; key: string; optional?: boolean };
    const value = pod.secrets[name]?.[key];
    if (value === undefined && !optional) throw new Error(`${entry.name}: Secret ${name} has no key ${key}`);
    return value;
  }
  if (from.fieldRef) {
    const path = (from.fieldRef as { fieldPath: string }).fieldPath;
    const fields: Record<string, string> = {
      'metadata.name': pod.podName,
      'metadata.namespace': pod.namespace,
      'spec.nodeName': pod.nodeName,
      'status.podIP': '127.0.0.1',
    };
    if (!(path in fields)) throw new Error(`${entry.name}: unsupported fieldRef ${path}`);
    return fields[path];
  }
  throw new Error(`${entry.name}: unsupported valueFrom ${JSON.stringify(from)}`);
}

/** The container port with this name. */
export function portNamed(container: Container, name: string): number {
  const port = container.ports?.find((p) => p.name === name);
  if (!port) throw new Error(`container ${container.name} has no port named ${name}`);
  return port.containerPort;
}

/** The folders standing in for a container's mount points: `<root>/<volume name>` by mount path. */
export function mountFolders(container: Container, root: string): Record<string, string> {
  return Object.fromEntries((container.volumeMounts ?? []).map((m) => [m.mountPath, join(root, m.name)]));
}

/**
 * Rewrites absolute paths under the container's mount points to the folders standing in for them
 * (`/data/db.sqlite` → `<tmp>/data/db.sqlite`, `--storage.tsdb.path=/prometheus` → `…=<tmp>/data`):
 * a whole value or the value of a `--flag=`, mapped once, by the longest matching mount.
 */
export function mapMounts(text: string, mounts: Record<string, string>): string {
  const byLength = Object.keys(mounts).sort((a, b) => b.length - a.length);
  return text.replace(/(^|=)(\/[^\s,]*)/, (_match, lead: string, path: string) => {
    const mount = byLength.find((m) => path === m || path.startsWith(`${m}/`));
    return lead + (mount === undefined ? path : mounts[mount] + path.slice(mount.length));
  });
}
