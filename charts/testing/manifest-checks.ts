import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as client from '@kubernetes/client-node';
import { z } from 'zod';
import type { Manifest } from '../synth.ts';

type AttributeMap = Array<{ baseName: string; type: string }>;
type Model = { getAttributeTypeMap(): AttributeMap };

const models = client as unknown as Record<string, Model | undefined>;

/** `apps/v1` + `StatefulSet` → `V1StatefulSet`; `rbac.authorization.k8s.io/v1` + `Role` → `V1Role`. */
function modelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').at(-1) ?? apiVersion;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

function modelOf(type: string): Model | undefined {
  const model = models[type];
  return model && typeof model.getAttributeTypeMap === 'function' ? model : undefined;
}

/**
 * Custom resources of the clouds' operators, which kubernetes-models and client-node do not know:
 * their documented spec (ACK prometheusservice v1alpha1, Azure Service Operator alertsmanagement
 * v1api20230301), strict, so a wrong or unknown field fails here too.
 */
const resourceReference = z.strictObject({ armId: z.string().regex(/^\/subscriptions\//).optional(), name: z.string().optional(), group: z.string().optional(), kind: z.string().optional() });
const CUSTOM_RESOURCES: Record<string, z.ZodType> = {
  'prometheusservice.services.k8s.aws/v1alpha1/RuleGroupsNamespace': z.strictObject({
    configuration: z.string().min(1),
    name: z.string().regex(/^[0-9A-Za-z][-.0-9A-Z_a-z]*$/),
    tags: z.record(z.string(), z.string()).optional(),
    workspaceID: z.string().regex(/^[0-9A-Za-z][-.0-9A-Z_a-z]*$/).optional(),
    workspaceRef: z.strictObject({ from: z.strictObject({ name: z.string(), namespace: z.string().optional() }) }).optional(),
  }),
  'alertsmanagement.azure.com/v1api20230301/PrometheusRuleGroup': z.strictObject({
    azureName: z.string().optional(),
    clusterName: z.string().optional(),
    description: z.string().optional(),
    enabled: z.boolean().optional(),
    interval: z.string().regex(/^PT\d+[MH]$/).optional(),
    location: z.string().min(1),
    owner: resourceReference,
    scopesReferences: z.array(resourceReference).min(1),
    rules: z
      .array(
        z.strictObject({
          actions: z.array(z.unknown()).optional(),
          alert: z.string().optional(),
          annotations: z.record(z.string(), z.string()).optional(),
          enabled: z.boolean().optional(),
          expression: z.string().min(1),
          for: z.string().regex(/^PT\d+[SMH]$/).optional(),
          labels: z.record(z.string(), z.string()).optional(),
          record: z.string().optional(),
          resolveConfiguration: z.unknown().optional(),
          severity: z.number().int().min(0).max(4).optional(),
        }),
      )
      .min(1),
  }),
};

const customResourceKey = (manifest: Manifest) => `${manifest.apiVersion}/${manifest.kind}`;

function customResourceProblems(manifest: Manifest): string[] {
  const schema = CUSTOM_RESOURCES[customResourceKey(manifest)] as z.ZodType;
  const { apiVersion, kind, metadata, spec, ...rest } = manifest as Manifest & { spec?: unknown };
  const problems = Object.keys(rest).map((key) => `${kind}.${key}: unknown field`);
  if (!metadata.name || !metadata.namespace) problems.push(`${kind}: needs metadata.name and metadata.namespace (${apiVersion})`);
  const result = schema.safeParse(spec);
  if (!result.success) problems.push(...result.error.issues.map((issue) => `${kind}.spec.${issue.path.join('.')}: ${issue.message}`));
  return problems;
}

/**
 * Fields the Kubernetes API does not define (`spec.replica`, `livenessprobe`, …): the API server would
 * drop or reject them, and the OpenAPI validators accept them. Walks @kubernetes/client-node's models.
 */
export function unknownFields(manifest: Manifest): string[] {
  if (customResourceKey(manifest) in CUSTOM_RESOURCES) return customResourceProblems(manifest);
  // Argo Rollouts' CRD schemas allow unknown fields; its objects are typed with its models instead
  // (constructs/release-analysis.ts, app-rollout.ts). A Rollout's pod template is Kubernetes' own: walked below.
  if (manifest.apiVersion.startsWith('argoproj.io/')) {
    const template = (manifest as { spec?: { template?: unknown } }).spec?.template;
    return template ? unknownFieldsOf(template, 'V1PodTemplateSpec', `${manifest.kind}.spec.template`) : [];
  }
  const root = modelOf(modelName(manifest.apiVersion, manifest.kind));
  if (!root) return [`${manifest.kind}: no model for ${manifest.apiVersion}`];
  return unknownFieldsOf(manifest, modelName(manifest.apiVersion, manifest.kind), manifest.kind);
}

/** The fields of `value` that the client-node model `type` does not define, named from `at`. */
function unknownFieldsOf(value: unknown, type: string, at: string): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, type: string, path: string) => {
    if (value === null || value === undefined) return;
    const array = /^Array<(.+)>$/.exec(type);
    if (array) {
      if (!Array.isArray(value)) return void problems.push(`${path}: expected a list`);
      value.forEach((item, index) => walk(item, array[1] as string, `${path}[${index}]`));
      return;
    }
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) walk(item, map[1] as string, `${path}.${key}`);
      return;
    }
    const model = modelOf(type);
    if (!model) return;
    const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const childType = attributes.get(key);
      if (childType === undefined) problems.push(`${path}.${key}: unknown field of ${type}`);
      else walk(item, childType, `${path}.${key}`);
    }
  };
  walk(value, type, at);
  return problems;
}

/**
 * Types, formats and enums against the Kubernetes OpenAPI schema, with kubernetes-models' validators.
 * They ship as ESM only, which jest's CommonJS runtime cannot load: they run in a child Node process
 * (schema-check.ts) that receives the manifests on stdin.
 */
export function schemaProblems(manifests: readonly Manifest[]): string[] {
  const custom = manifests.filter((m) => customResourceKey(m) in CUSTOM_RESOURCES);
  const result = spawnSync(process.execPath, ['--experimental-strip-types', join(__dirname, 'schema-check.ts')], {
    input: JSON.stringify(manifests.filter((m) => !custom.includes(m))),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`schema-check failed: ${result.stderr}`);
  return [...(JSON.parse(result.stdout) as string[]), ...custom.flatMap(customResourceProblems)];
}

/** Every pod template in a set of manifests, with where it came from. */
export function podTemplates(manifests: readonly Manifest[]): Array<{ owner: string; labels: Record<string, string>; spec: PodSpec }> {
  return manifests
    .filter((m) => ['StatefulSet', 'Deployment', 'DaemonSet', 'Job', 'Rollout'].includes(m.kind))
    .map((m) => {
      const template = (m as unknown as { spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } }).spec.template;
      return { owner: `${m.kind}/${m.metadata.name}`, labels: template.metadata.labels, spec: template.spec };
    });
}

export interface ContainerSpec {
  name: string;
  image: string;
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[]; add?: string[] }; seccompProfile?: { type: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  ports?: Array<{ name?: string; containerPort: number }>;
}

export interface PodSpec {
  securityContext?: Record<string, unknown> & { seccompProfile?: { type: string } };
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  volumes?: Array<Record<string, unknown>>;
  automountServiceAccountToken?: boolean;
  serviceAccountName?: string;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  terminationGracePeriodSeconds?: number;
}
