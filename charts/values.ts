import { z } from 'zod';
import { HTTP_DURATION_BUCKETS } from '../src/metrics/metric-names.ts';
import type { RuleOptions } from './observability/prometheus-config.ts';
import { minRateWindow } from './observability/slo.ts';
import { CONFIG_DEFAULTS, LOG_LEVELS } from '../src/config/config.schema.ts';
import { DATABASE_DEFAULTS, SSL_MODES } from '../src/config/database.config.ts';
import { chaosSettingsShape, LATENCY_ORDER_ISSUE, latencyInOrder } from '../src/chaos/chaos.settings.ts';

/*
 * The chart's values, as a Helm chart would have them: one typed, documented object; a profile per
 * environment; overrides from a values file and `--set`. Unknown keys and wrong types are errors
 * naming the key. Every default below is the `local` (kind) profile unless a profile says otherwise.
 */

const cidrOrAddress = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/, 'must be an IPv4 address or CIDR');
const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be an IPv4 CIDR');
const quantity = z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'must be a Kubernetes quantity such as 500m, 128Mi or 1Gi');
const labels = z.record(z.string(), z.string());

export const valuesSchema = z.strictObject({
  /** Namespace of every object. */
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).default('drafty-bird'),
  image: z.strictObject({
    repository: z.string().min(1).default('ghcr.io/drafty-bird/drafty-bird'),
    /** Immutable release tag; never `latest`. */
    tag: z
      .string()
      .regex(/^[\w][\w.-]{0,127}$/, 'must be a Docker tag')
      .refine((tag) => tag !== 'latest', 'must be a pinned release tag, never "latest"')
      .default('0.1.0'),
    /** Optional `sha256:…` digest; when set the image is referenced by digest. */
    digest: z.string().regex(/^(sha256:[a-f0-9]{64})?$/, 'must be empty or sha256:<64 hex>').default(''),
    pullPolicy: z.enum(['IfNotPresent', 'Always', 'Never']).default('IfNotPresent'),
  }).prefault({}),
  app: z.strictObject({
    logLevel: z.enum(LOG_LEVELS).default(CONFIG_DEFAULTS.logLevel),
    /** Keep serving this long after SIGTERM while endpoints drain. */
    shutdownDelayMs: z.number().int().default(CONFIG_DEFAULTS.shutdownDelayMs),
    /** Per client IP on POST routes; 0 disables. */
    rateLimitPerMinute: z.number().int().default(CONFIG_DEFAULTS.rateLimitPerMinute),
    /**
     * TRUST_PROXY: whom X-Forwarded-For is believed from — false; 'exposure': the addresses exposure
     * traffic comes from (`exposure.sourceCidrs`: the ALB's subnets); or the proxies' addresses/CIDRs
     * (on AKS, where the ingress controller's pods get their addresses).
     */
    trustProxy: z.union([z.literal(false), z.literal('exposure'), z.array(cidrOrAddress)]).default(false),
    /** Numeric UID and GID of the process (>= 10000). */
    uid: z.number().int().min(10_000).default(10_001),
    /**
     * V8 old-space cap in MiB (NODE_OPTIONS). Measured here: ~160 MiB RSS idle; under 32-connection
     * load an uncapped heap grows lazily to ~360-420 MiB RSS, a capped one stays near ~170 MiB.
     */
    maxOldSpaceMb: z.number().int().min(64).default(160),
    /**
     * V8 semi-space in MiB. Must be set with the old-space cap: alone, that cap makes V8 size the
     * young generation so small that objects are promoted early and major GCs run back to back — the
     * benchmark measured a 10× throughput collapse with tracing on (bench/RESULTS.md).
     */
    maxSemiSpaceMb: z.number().int().min(1).max(64).default(16),
    /**
     * Sized from `npm run bench` (bench/RESULTS.md, round 2): memory — idle RSS ~107–113 MiB, peak
     * ~190–210 MiB under the heap flags above during the saturation runs: request 256Mi (the peak plus headroom),
     * limit 384Mi (above the old-space cap plus code, the writer thread and native memory). CPU — the
     * players' mix costs ~0.4–0.7 ms of CPU per request traced on the benchmark machine, so the 100m
     * request is what ~100–150 req/s need: with the HPA scaling out at 70% of it, a pod takes that
     * share and 10 replicas the runbook's 1,000 req/s; the 1-CPU limit leaves a pod room for bursts.
     */
    resources: z.strictObject({
      cpuRequest: quantity.default('100m'),
      cpuLimit: quantity.default('1'),
      memoryRequest: quantity.default('256Mi'),
      memoryLimit: quantity.default('384Mi'),
    }).prefault({}),
  }).prefault({}),
  storage: z.strictObject({
    /** kind: 'standard'; aws: 'efs-sc' (EFS CSI); azure: 'azurefile-csi'. */
    storageClassName: z.string().min(1).default('standard'),
    size: quantity.default('1Gi'),
    accessMode: z.enum(['ReadWriteOnce', 'ReadWriteOncePod', 'ReadWriteMany']).default('ReadWriteOnce'),
    /**
     * aws: the EFS file system (`fs-…`) on which the chart's StorageClass creates an access point per
     * claim, owned by the app's UID. Required for aws.
     */
    efsFileSystemId: z.string().regex(/^(fs-[0-9a-f]{8,40})?$/, 'must be an EFS file system id (fs-…)').default(''),
  }).prefault({}),
  /**
   * Where scores live. `sqlite` (the default): one writer, a single-replica StatefulSet with its volume
   * (`storage`). `postgres`: every replica writes to one PostgreSQL server, so the app is a Deployment
   * of `scaling.minReplicas` to `scaling.maxReplicas` replicas spread across zones.
   */
  database: z.strictObject({
    engine: z.enum(['sqlite', 'postgres']).default('sqlite'),
    /**
     * postgres: the Secret whose key `url` is DATABASE_URL (postgres://user:password@host:5432/db).
     * Never created by the chart, so no manifest carries the password; on kind, scripts/cluster.sh creates it.
     */
    urlSecretName: z.string().min(1).default('drafty-bird-database'),
    poolSize: z.number().int().min(1).max(100).default(DATABASE_DEFAULTS.DATABASE_POOL_SIZE),
    connectTimeoutMs: z.number().int().default(DATABASE_DEFAULTS.DATABASE_CONNECT_TIMEOUT_MS),
    /** A stuck database becomes a 503 after this long, never a hung request. */
    statementTimeoutMs: z.number().int().default(DATABASE_DEFAULTS.DATABASE_STATEMENT_TIMEOUT_MS),
    /** RDS and Azure Database for PostgreSQL require TLS: `verify-full` with `sslCaConfigMap`. */
    sslMode: z.enum(SSL_MODES).default(DATABASE_DEFAULTS.DATABASE_SSL_MODE),
    /**
     * verify-full: a ConfigMap (key `ca.pem`) with the CA bundle the server's certificate chains to —
     * RDS: the region's bundle from truststore.pki.rds.amazonaws.com; Azure: DigiCert Global Root G2
     * and Microsoft RSA Root CA 2017. Created by the site, like the Secret.
     */
    sslCaConfigMap: z.string().default(''),
    /** A managed database's address range and port: the app's only egress besides DNS and traces. */
    cidrs: z.array(cidr).default([]),
    port: z.number().int().min(1).max(65_535).default(5432),
    /** kind: PostgreSQL in the namespace (a StatefulSet with its volume). Managed clouds: off. */
    inCluster: z.strictObject({
      enabled: z.boolean().default(false),
      /** The official image, pinned. */
      image: z.string().default('postgres:17.6-bookworm'),
      storageSize: quantity.default('1Gi'),
      memoryLimit: quantity.default('512Mi'),
      /** Secret with the server's password (key `password`); the URL Secret carries the same one. */
      passwordSecretName: z.string().min(1).default('drafty-bird-postgres'),
    }).prefault({}),
  }).prefault({}),
  /** postgres only: the Deployment's bounds and the HorizontalPodAutoscaler's target (the runbook: 2–10 tasks, 70% CPU). */
  scaling: z
    .strictObject({
      minReplicas: z.number().int().min(2).default(2),
      maxReplicas: z.number().int().min(2).max(100).default(10),
      targetCpuPercent: z.number().int().min(10).max(100).default(70),
    })
    .refine((s) => s.maxReplicas >= s.minReplicas, { message: 'maxReplicas must be at least minReplicas', path: ['maxReplicas'] })
    .prefault({}),
  /**
   * How a new revision is judged before it keeps all traffic — the runbook's gates (success rate ≥ 99.5%,
   * p99 < 500 ms, on the new revision's pods only): postgres renders them as Argo Rollouts' AnalysisTemplate;
   * sqlite's `npm run release` measures the same queries with interval, window and failureLimit.
   */
  release: z.strictObject({
    /**
     * canary: traffic shifts in `canarySteps` while the gates run in the background (CodeDeploy's
     * 10% → 20% → 50% → 70% → 100%, a minute each). blueGreen: the new revision gets the preview Service
     * (CodeDeploy's test listener, ACA's revision URL) and is promoted once the gates pass.
     */
    strategy: z.enum(['canary', 'blueGreen']).default('canary'),
    canarySteps: z
      .array(z.strictObject({ weight: z.number().int().min(1).max(99), pause: z.string().regex(/^\d+(s|m|h)$/, 'must be a duration such as 1m') }))
      .default([10, 20, 50, 70].map((weight) => ({ weight, pause: '1m' }))),
    /** Prometheus the gates query; empty: the in-namespace one (observability.inCluster). */
    prometheusAddress: z.string().default(''),
    /** Namespace of the Argo Rollouts controller, the only client allowed to query the in-namespace Prometheus. */
    controllerNamespace: z.string().default('argo-rollouts'),
    /** How often each gate is measured, over what window, how many times, and how many failures abort. */
    interval: z.string().regex(/^\d+(s|m)$/, 'must be a duration such as 1m').default('1m'),
    window: z.string().regex(/^\d+(s|m)$/, 'must be a Prometheus duration such as 2m').default('2m'),
    count: z.number().int().min(1).default(5),
    failureLimit: z.number().int().min(0).default(1),
    /** Measurements without player traffic (empty or NaN) tolerated before the analysis stops as inconclusive. */
    inconclusiveLimit: z.number().int().min(0).default(2),
  }).prefault({}),
  /**
   * The CHAOS_* ConfigMap, validated by the service's own chaos rules (src/chaos/chaos.settings.ts):
   * enabled, errorRate, errorStatus, latencyMsP50, latencyMsP99, routes, seed, with the service's defaults.
   */
  chaos: z
    .strictObject({
      ...chaosSettingsShape,
      /** Name of the Secret holding CHAOS_ADMIN_TOKEN (key `token`); never created by the chart. */
      adminSecretName: z.string().min(1).default('drafty-bird-chaos-admin'),
    })
    .refine(latencyInOrder, LATENCY_ORDER_ISSUE)
    .prefault({}),
  exposure: z.strictObject({
    /** local: 'nodePort' (kind port mapping); aws: 'alb'; azure: 'azureAppRouting'. */
    type: z.enum(['nodePort', 'alb', 'azureAppRouting']).default('nodePort'),
    /** NodePort that kind-config.yaml maps to localhost:8080. */
    nodePort: z.number().int().min(30_000).max(32_767).default(30_080),
    /** Public host name (alb, azureAppRouting). */
    host: z.string().default(''),
    /** ACM certificate for the ALB's HTTPS listener. */
    certificateArn: z.string().default(''),
    /**
     * azure: the Key Vault certificate (unversioned URI) the application routing add-on syncs into the
     * ingress' TLS Secret. Required for azure.
     */
    tlsKeyVaultCertificateUri: z
      .string()
      .regex(/^(https:\/\/[a-z0-9-]+\.vault\.azure\.net\/certificates\/[A-Za-z0-9-]+)?$/, 'must be https://<vault>.vault.azure.net/certificates/<name>')
      .default(''),
    /** Where exposure traffic comes from, for the NetworkPolicy (ALB subnets, node addresses). */
    sourceCidrs: z.array(cidr).default(['0.0.0.0/0']),
    /** Namespace of the ingress controller pods, when traffic comes from one. */
    controllerNamespace: z.string().default(''),
  }).prefault({}),
  /**
   * The SLOs (availability: non-5xx player responses; latency: player responses under the threshold),
   * their burn-rate alerts and error budget. `window` is the budget's period: 30d in production; a short
   * one (1h) on a game day, where every alert window scales with it so a burn pages within minutes.
   */
  slo: z.strictObject({
    window: z.string().regex(/^\d+(m|h|d)$/, 'must be a duration such as 30d or 1h').default('30d'),
    availability: z.number().gt(0.5).lt(1).default(0.995),
    latency: z.strictObject({
      objective: z.number().gt(0.5).lt(1).default(0.99),
      thresholdSeconds: z
        .number()
        .refine((s) => HTTP_DURATION_BUCKETS.includes(s), `must be one of the latency histogram's bucket bounds (${HTTP_DURATION_BUCKETS.join(', ')})`)
        .default(0.5),
    }).prefault({}),
  }).prefault({}),
  /**
   * Synthetic players (src/players/) in the namespace, playing against the public Service, scraped by the
   * in-namespace Prometheus: traffic for chaos to act on and the players' view beside the server's.
   * On in the kind profiles; aws/azure: off (real players are the traffic there).
   */
  players: z.strictObject({
    enabled: z.boolean().default(true),
    /** Most players playing at once. */
    count: z.number().int().min(1).max(1000).default(8),
    /** New players per second at full rate. */
    arrivalRate: z.number().positive().max(1000).default(0.5),
    /** Arrivals climb from 0 to full over this long. */
    ramp: z.string().regex(/^\d+(ms|s|m|h)$/, 'must be a duration such as 30s').default('30s'),
    /** Sent on every request: a cohort a game day's chaos can target, leaving real players alone. */
    cohortHeader: z.strictObject({ name: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a lower-case header name'), value: z.string().min(1).max(256) }).nullable().default({ name: 'x-drafty-cohort', value: 'synthetic' }),
    memoryLimit: quantity.default('128Mi'),
  }).prefault({}),
  observability: z.strictObject({
    /** Run Prometheus and Jaeger in the namespace; off hands over to managed services. */
    inCluster: z.boolean().default(true),
    /** OTLP/HTTP endpoint of the trace collector when not in-cluster. */
    otlpEndpoint: z.string().default(''),
    /** The collector the app may send traces to (NetworkPolicy egress), when not in-cluster. */
    collector: z
      .strictObject({ namespace: z.string().default(''), podLabels: labels.default({}), port: z.number().int().default(4318) })
      .prefault({}),
    /**
     * The scraper allowed to reach :8080/metrics, when not in-cluster: pods in a namespace (Azure's
     * ama-metrics) or, for a collector outside the cluster (AWS's managed scraper, whose network
     * interfaces sit in the subnets it was created with), those subnets' CIDRs.
     */
    scraper: z.strictObject({ namespace: z.string().default(''), podLabels: labels.default({}), cidrs: z.array(cidr).default([]) }).prefault({}),
    /**
     * Where the alert rules go when not in-cluster: aws → an ACK `RuleGroupsNamespace` in the AMP
     * workspace `workspace` (ws-…); azure → an Azure Service Operator `PrometheusRuleGroup` scoped to the
     * Azure Monitor workspace `workspace` (its resource id), in `resourceGroupId`, `location`, for the
     * AKS cluster `clusterName`.
     */
    ruleGroups: z
      .strictObject({ workspace: z.string().default(''), resourceGroupId: z.string().default(''), location: z.string().default(''), clusterName: z.string().default('') })
      .prefault({}),
    prometheus: z.strictObject({
      image: z.string().default('prom/prometheus:v3.5.0'),
      retention: z.string().default('2d'),
      retentionSize: z.string().default('400MB'),
      /** Sized so a full WAL replay fits. */
      memoryLimit: quantity.default('512Mi'),
      /** How often targets are scraped and alert rules evaluated. */
      evaluationInterval: z.string().regex(/^\d+(ms|s|m)$/, 'must be a Prometheus duration such as 15s').default('15s'),
      /** How long the error-rate and latency conditions must hold; the runbooks say 5m (tests shorten it). */
      alertFor: z.string().regex(/^\d+(s|m|h)$/, 'must be a Prometheus duration such as 5m').default('5m'),
      /** Where Prometheus may reach the API server for pod discovery. */
      apiServerCidrs: z.array(z.string()).default(['0.0.0.0/0']),
    }).prefault({}),
    /** In-cluster Alertmanager: routes page / ticket / info (charts/observability/alertmanager-config.ts). */
    alertmanager: z.strictObject({
      image: z.string().default('prom/alertmanager:v0.28.1'),
      /**
       * Webhook every notification is POSTed to (firing and resolved; Alertmanager's webhook JSON). Empty:
       * alerts are routed and visible in Alertmanager's UI, delivered nowhere. For Slack or PagerDuty see
       * the README ("Alert delivery").
       */
      webhookUrl: z.string().regex(/^(https?:\/\/\S+)?$/, 'must be empty or an http(s) URL').default(''),
      groupWait: z.string().regex(/^\d+(ms|s|m|h)$/, 'must be a duration such as 30s').default('30s'),
      groupInterval: z.string().regex(/^\d+(ms|s|m|h)$/, 'must be a duration such as 5m').default('5m'),
      repeatInterval: z.string().regex(/^\d+(ms|s|m|h)$/, 'must be a duration such as 4h').default('4h'),
      memoryLimit: quantity.default('128Mi'),
    }).prefault({}),
    /** In-cluster Grafana with the generated dashboards and the Prometheus and Jaeger datasources. */
    grafana: z.strictObject({
      image: z.string().default('grafana/grafana:12.1.1'),
      memoryLimit: quantity.default('256Mi'),
    }).prefault({}),
    jaeger: z.strictObject({
      /** All-in-one, in-memory: OTLP on 4317/4318, UI and query API on 16686. */
      image: z.string().default('jaegertracing/jaeger:2.9.0'),
      memoryLimit: quantity.default('512Mi'),
    }).prefault({}),
  }).prefault({}),
});

export type Values = z.output<typeof valuesSchema>;
export type Environment = 'local' | 'local-ha' | 'aws' | 'azure';
export const ENVIRONMENTS: readonly Environment[] = ['local', 'local-ha', 'aws', 'azure'];
/** The profiles committed under k8s/: those that need no site values. */
export const COMMITTED_ENVIRONMENTS: readonly Environment[] = ['local', 'local-ha'];

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** The `local` profile — a kind cluster on a laptop, everything in the namespace — is the schema's defaults. */
export const LOCAL: Values = valuesSchema.parse({});

/** kind in scale-out mode: PostgreSQL in the namespace and two or more app replicas across the two zones. */
const LOCAL_HA: DeepPartial<Values> = {
  database: { engine: 'postgres', inCluster: { enabled: true } },
};

/**
 * EKS, mirroring the ECS/ALB/EFS runbook: ALB with HTTPS, EFS volume, managed Prometheus and ADOT.
 * What only a site knows (host, certificate, subnets, file system, workspace) has no default here:
 * `siteValueProblems` refuses to render aws without it (charts/examples/aws.yaml shows the shape).
 */
const AWS: DeepPartial<Values> = {
  players: { enabled: false },
  // The ALB appends the client's address to X-Forwarded-For; it connects from the public subnets.
  app: { trustProxy: 'exposure' },
  storage: { storageClassName: 'efs-sc', size: '5Gi' },
  exposure: { type: 'alb', sourceCidrs: [] },
  observability: {
    inCluster: false,
    otlpEndpoint: 'http://adot-collector.observability.svc.cluster.local:4318',
    collector: { namespace: 'observability', podLabels: { 'app.kubernetes.io/name': 'adot-collector' }, port: 4318 },
  },
};

/** AKS, mirroring the Container Apps/Azure Files runbook: app routing ingress with TLS, Azure Files, Azure Monitor. */
const AZURE: DeepPartial<Values> = {
  players: { enabled: false },
  // The application routing add-on's nginx appends the client's address (Azure's L4 load balancer adds
  // none); its pods' address range is the site's (site value).
  app: { trustProxy: [] },
  storage: { storageClassName: 'azurefile-csi', size: '5Gi' },
  exposure: {
    type: 'azureAppRouting',
    sourceCidrs: [],
    controllerNamespace: 'app-routing-system',
  },
  observability: {
    inCluster: false,
    otlpEndpoint: 'http://otel-collector.observability.svc.cluster.local:4318',
    collector: { namespace: 'observability', podLabels: { 'app.kubernetes.io/name': 'otel-collector' }, port: 4318 },
    // Azure Monitor managed Prometheus scrapes from the ama-metrics pods.
    scraper: { namespace: 'kube-system', podLabels: { rsName: 'ama-metrics' }, cidrs: [] },
  },
};

/** Values only a site can give, per environment: rendering without them is refused, never defaulted. */
const SITE_VALUES: Record<Environment, ReadonlyArray<{ path: string; what: string }>> = {
  local: [],
  'local-ha': [],
  aws: [
    { path: 'exposure.host', what: 'the public host name the ALB serves' },
    { path: 'exposure.certificateArn', what: 'the ACM certificate (arn:aws:acm:…) for that host' },
    { path: 'exposure.sourceCidrs', what: "the CIDRs of the VPC's public subnets, where the ALB's network interfaces live" },
    { path: 'storage.efsFileSystemId', what: 'the EFS file system (fs-…) behind the efs-sc StorageClass' },
    { path: 'observability.scraper.cidrs', what: 'the CIDRs of the subnets the Amazon Managed Service for Prometheus scraper was created in' },
    { path: 'observability.ruleGroups.workspace', what: 'the AMP workspace id (ws-…) that receives the alert rules' },
  ],
  azure: [
    { path: 'app.trustProxy', what: "the CIDR the ingress controller's pods get their addresses from (the pod CIDR, or the node subnet with Azure CNI)" },
    { path: 'exposure.host', what: 'the public host name the ingress serves' },
    { path: 'exposure.tlsKeyVaultCertificateUri', what: 'the Key Vault certificate for that host' },
    { path: 'observability.ruleGroups.workspace', what: 'the resource id of the Azure Monitor workspace that receives the alert rules' },
    { path: 'observability.ruleGroups.resourceGroupId', what: 'the resource id of the resource group for the rule group' },
    { path: 'observability.ruleGroups.location', what: 'the Azure region of the rule group' },
    { path: 'observability.ruleGroups.clusterName', what: 'the AKS cluster name the rules apply to' },
  ],
};

/** Each site value `env` needs and `values` lacks, as `path: why` (empty or an empty list counts as missing). */
export function siteValueProblems(env: Environment, values: Values): string[] {
  return SITE_VALUES[env]
    .filter(({ path }) => {
      const value = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], values);
      return value === '' || (Array.isArray(value) && value.length === 0);
    })
    .map(({ path, what }) => `${path}: required for ${env} — ${what}; set it in a values file (see charts/examples/${env}.yaml)`);
}

export const PROFILES: Record<Environment, DeepPartial<Values>> = { local: {}, 'local-ha': LOCAL_HA, aws: AWS, azure: AZURE };

/** How many app replicas must be ready: SQLite's one writer, or PostgreSQL mode's minimum. */
export function minReadyReplicas(values: Values): number {
  return values.database.engine === 'postgres' ? values.scaling.minReplicas : 1;
}

/** The rule file's options from the values: the runbook alerts' hold time, the ready minimum, the SLOs. */
export function ruleOptions(values: Values): RuleOptions {
  // The SLO's scaled windows never go below a few scrapes.
  const minWindow = minRateWindow(values.observability.prometheus.evaluationInterval);
  return { forDuration: values.observability.prometheus.alertFor, minReplicas: minReadyReplicas(values), slo: { ...values.slo, minWindow } };
}
