import { z } from 'zod';
import { chaosSettingsShape, DEFAULT_CHAOS_SETTINGS, LATENCY_ORDER_ISSUE, latencyInOrder } from '../src/chaos/chaos.settings.ts';

/*
 * The chart's values, as a Helm chart would have them: one typed, documented object; a profile per
 * environment; overrides from a values file and `--set`. Unknown keys and wrong types are errors
 * naming the key. Every default below is the `local` (kind) profile unless a profile says otherwise.
 */

const quantity = z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'must be a Kubernetes quantity such as 500m, 128Mi or 1Gi');
const labels = z.record(z.string(), z.string());

export const valuesSchema = z.strictObject({
  /** Namespace of every object. @default 'drafty-bird' */
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
  image: z.strictObject({
    /** @default 'ghcr.io/drafty-bird/drafty-bird' */
    repository: z.string().min(1),
    /** Immutable release tag; never `latest`. @default '0.1.0' */
    tag: z
      .string()
      .regex(/^[\w][\w.-]{0,127}$/, 'must be a Docker tag')
      .refine((tag) => tag !== 'latest', 'must be a pinned release tag, never "latest"'),
    /** Optional `sha256:…` digest; when set the image is referenced by digest. @default '' */
    digest: z.string().regex(/^(sha256:[a-f0-9]{64})?$/, 'must be empty or sha256:<64 hex>'),
    /** @default 'IfNotPresent' */
    pullPolicy: z.enum(['IfNotPresent', 'Always', 'Never']),
  }),
  app: z.strictObject({
    /** @default 'info' */
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']),
    /** Keep serving this long after SIGTERM while endpoints drain. @default 5000 */
    shutdownDelayMs: z.number().int().min(0).max(20_000),
    /** Per client IP on POST routes; 0 disables. @default 120 */
    rateLimitPerMinute: z.number().int().min(0),
    /** Trust X-Forwarded-For (behind the ALB or the ingress controller). @default false */
    trustProxy: z.boolean(),
    /** Numeric UID and GID of the process (>= 10000). @default 10001 */
    uid: z.number().int().min(10_000),
    /**
     * V8 old-space cap in MiB (NODE_OPTIONS). Measured here: ~160 MiB RSS idle; under 32-connection
     * load an uncapped heap grows lazily to ~360-420 MiB RSS, a capped one stays near ~170 MiB.
     * @default 160
     */
    maxOldSpaceMb: z.number().int().min(64),
    /**
     * V8 semi-space in MiB. Must be set with the old-space cap: alone, that cap makes V8 size the
     * young generation so small that objects are promoted early and major GCs run back to back — the
     * benchmark measured a 10× throughput collapse with tracing on (bench/RESULTS.md).
     * @default 16
     */
    maxSemiSpaceMb: z.number().int().min(1).max(64),
    /** Sized from those measurements: request what it uses idle plus headroom, limit above the cap. */
    resources: z.strictObject({
      /** @default '100m' */
      cpuRequest: quantity,
      /** @default '1' */
      cpuLimit: quantity,
      /** @default '256Mi' */
      memoryRequest: quantity,
      /** @default '384Mi' */
      memoryLimit: quantity,
    }),
  }),
  storage: z.strictObject({
    /** kind: 'standard'; aws: 'efs-sc' (EFS CSI); azure: 'azurefile-csi'. */
    storageClassName: z.string().min(1),
    /** @default '1Gi' */
    size: quantity,
    /** @default 'ReadWriteOnce' */
    accessMode: z.enum(['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany']),
  }),
  /**
   * The CHAOS_* ConfigMap, validated by the service's own chaos rules (src/chaos/chaos.settings.ts):
   * enabled, errorRate, errorStatus, latencyMsP50, latencyMsP99, routes, seed, with the service's defaults.
   */
  chaos: z
    .strictObject({
      ...chaosSettingsShape,
      /** Name of the Secret holding CHAOS_ADMIN_TOKEN (key `token`); never created by the chart. @default 'drafty-bird-chaos-admin' */
      adminSecretName: z.string().min(1),
    })
    .refine(latencyInOrder, LATENCY_ORDER_ISSUE),
  exposure: z.strictObject({
    /** local: 'nodePort' (kind port mapping); aws: 'alb'; azure: 'azureAppRouting'. */
    type: z.enum(['nodePort', 'alb', 'azureAppRouting']),
    /** NodePort that kind-config.yaml maps to localhost:8080. @default 30080 */
    nodePort: z.number().int().min(30_000).max(32_767),
    /** Public host name (alb, azureAppRouting). @default '' */
    host: z.string(),
    /** ACM certificate for the ALB's HTTPS listener. @default '' */
    certificateArn: z.string(),
    /** TLS Secret for the AKS ingress. @default 'drafty-bird-tls' */
    tlsSecretName: z.string(),
    /** Where exposure traffic comes from, for the NetworkPolicy (ALB subnets, node addresses). @default ['0.0.0.0/0'] */
    sourceCidrs: z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be an IPv4 CIDR')),
    /** Namespace of the ingress controller pods, when traffic comes from one. @default '' */
    controllerNamespace: z.string(),
  }),
  observability: z.strictObject({
    /** Run Prometheus and Jaeger in the namespace; off hands over to managed services. @default true */
    inCluster: z.boolean(),
    /** OTLP/HTTP endpoint of the trace collector when not in-cluster. @default '' */
    otlpEndpoint: z.string(),
    /** The collector the app may send traces to (NetworkPolicy egress), when not in-cluster. */
    collector: z.strictObject({ namespace: z.string(), podLabels: labels, port: z.number().int() }),
    /** The scraper allowed to reach :8080/metrics, when not in-cluster (managed Prometheus agents). */
    scraper: z.strictObject({ namespace: z.string(), podLabels: labels }),
    prometheus: z.strictObject({
      /** @default 'prom/prometheus:v3.5.0' */
      image: z.string(),
      /** @default '2d' */
      retention: z.string(),
      /** @default '400MB' */
      retentionSize: z.string(),
      /** Sized so a full WAL replay fits. @default '512Mi' */
      memoryLimit: quantity,
      /** How often targets are scraped and alert rules evaluated. @default '15s' */
      evaluationInterval: z.string().regex(/^\d+(ms|s|m)$/, 'must be a Prometheus duration such as 15s'),
      /** How long the error-rate and latency conditions must hold; the runbooks say 5m (tests shorten it). @default '5m' */
      alertFor: z.string().regex(/^\d+(s|m|h)$/, 'must be a Prometheus duration such as 5m'),
      /** Where Prometheus may reach the API server for pod discovery. @default ['0.0.0.0/0'] */
      apiServerCidrs: z.array(z.string()),
    }),
    jaeger: z.strictObject({
      /** All-in-one, in-memory: OTLP on 4317/4318, UI and query API on 16686. @default 'jaegertracing/jaeger:2.9.0' */
      image: z.string(),
      /** @default '512Mi' */
      memoryLimit: quantity,
    }),
  }),
});

export type Values = z.output<typeof valuesSchema>;
export type Environment = 'local' | 'aws' | 'azure';
export const ENVIRONMENTS: readonly Environment[] = ['local', 'aws', 'azure'];

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** The `local` profile: a kind cluster on a laptop, everything in the namespace. */
export const LOCAL: Values = {
  namespace: 'drafty-bird',
  image: { repository: 'ghcr.io/drafty-bird/drafty-bird', tag: '0.1.0', digest: '', pullPolicy: 'IfNotPresent' },
  app: {
    logLevel: 'info',
    shutdownDelayMs: 5000,
    rateLimitPerMinute: 120,
    trustProxy: false,
    uid: 10_001,
    maxOldSpaceMb: 160,
    maxSemiSpaceMb: 16,
    resources: { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '384Mi' },
  },
  storage: { storageClassName: 'standard', size: '1Gi', accessMode: 'ReadWriteOnce' },
  chaos: { ...DEFAULT_CHAOS_SETTINGS, adminSecretName: 'drafty-bird-chaos-admin' },
  exposure: {
    type: 'nodePort',
    nodePort: 30080,
    host: '',
    certificateArn: '',
    tlsSecretName: 'drafty-bird-tls',
    sourceCidrs: ['0.0.0.0/0'],
    controllerNamespace: '',
  },
  observability: {
    inCluster: true,
    otlpEndpoint: '',
    collector: { namespace: '', podLabels: {}, port: 4318 },
    scraper: { namespace: '', podLabels: {} },
    prometheus: {
      image: 'prom/prometheus:v3.5.0',
      retention: '2d',
      retentionSize: '400MB',
      memoryLimit: '512Mi',
      evaluationInterval: '15s',
      alertFor: '5m',
      apiServerCidrs: ['0.0.0.0/0'],
    },
    jaeger: { image: 'jaegertracing/jaeger:2.9.0', memoryLimit: '512Mi' },
  },
};

/** EKS, mirroring the ECS/ALB/EFS runbook: ALB with HTTPS, EFS volume, managed Prometheus and ADOT. */
const AWS: DeepPartial<Values> = {
  image: { repository: '123456789012.dkr.ecr.eu-central-1.amazonaws.com/drafty-bird' },
  app: { trustProxy: true },
  storage: { storageClassName: 'efs-sc', size: '5Gi' },
  exposure: {
    type: 'alb',
    host: 'drafty-bird.example.com',
    certificateArn: 'arn:aws:acm:eu-central-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
    // The VPC's public subnets, where the ALB's ENIs live (10.0.1.0/24 … in the runbook).
    sourceCidrs: ['10.0.0.0/16'],
  },
  observability: {
    inCluster: false,
    otlpEndpoint: 'http://adot-collector.observability.svc.cluster.local:4318',
    collector: { namespace: 'observability', podLabels: { 'app.kubernetes.io/name': 'adot-collector' }, port: 4318 },
    scraper: { namespace: 'amazon-managed-prometheus', podLabels: {} },
  },
};

/** AKS, mirroring the Container Apps/Azure Files runbook: app routing ingress with TLS, Azure Files, Azure Monitor. */
const AZURE: DeepPartial<Values> = {
  image: { repository: 'draftybird.azurecr.io/drafty-bird' },
  app: { trustProxy: true },
  storage: { storageClassName: 'azurefile-csi', size: '5Gi' },
  exposure: {
    type: 'azureAppRouting',
    host: 'drafty-bird.example.com',
    sourceCidrs: [],
    controllerNamespace: 'app-routing-system',
  },
  observability: {
    inCluster: false,
    otlpEndpoint: 'http://otel-collector.observability.svc.cluster.local:4318',
    collector: { namespace: 'observability', podLabels: { 'app.kubernetes.io/name': 'otel-collector' }, port: 4318 },
    // Azure Monitor managed Prometheus scrapes from the ama-metrics pods.
    scraper: { namespace: 'kube-system', podLabels: { rsName: 'ama-metrics' } },
  },
};

export const PROFILES: Record<Environment, DeepPartial<Values>> = { local: {}, aws: AWS, azure: AZURE };
