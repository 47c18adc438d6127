import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ACK_RULE_GROUPS, ASO_RULE_GROUP } from './constructs/managed-alert-rules.ts';
import { selectorLabels } from './labels.ts';
import { ruleFile } from './observability/prometheus-config.ts';
import { argoConditions, RELEASE_GATES } from './observability/release-gates.ts';
import { readValuesFile, resolveValues, ValuesError } from './overrides.ts';
import { composeAlertmanagerFiles, composeGrafanaFiles, composePrometheusFiles, dashboardFiles, type Manifest, synthesize, toYaml } from './synth.ts';
import { exampleValues, examplesFile, RENDERINGS, renderingValues } from './testing/example-values.ts';
import { podTemplates, schemaProblems, unknownFields } from './testing/manifest-checks.ts';
import { type Environment, LOCAL, ruleOptions } from './values.ts';
import { PLAYER_ROUTES, SHUTDOWN_DEADLINE_MS } from '../src/surface.ts';

const ROOT = join(__dirname, '..');
const manifestsOf = (env: Environment) => synthesize(exampleValues(env));
/** Objects that are not namespaced: the chart's only one is the EFS StorageClass. */
const CLUSTER_SCOPED = new Set(['Namespace', 'StorageClass']);
const find = (manifests: Manifest[], kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not synthesized`);
  return found as Manifest & { spec: any; data?: Record<string, string> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

/** The app's workload: the StatefulSet (sqlite) or the Argo Rollouts Rollout (postgres). */
const appWorkload = (manifests: Manifest[]) => find(manifests, manifests.some((m) => m.kind === 'Rollout' && m.metadata.name === 'drafty-bird') ? 'Rollout' : 'StatefulSet', 'drafty-bird');

describe.each(RENDERINGS)('the $name rendering', (rendering) => {
  const { env, postgres } = rendering;
  const manifests = synthesize(renderingValues(rendering));
  // Engine-specific checks exist only for the engine rendered (not as skipped tests).
  const forSqlite: (name: string, fn: () => void) => void = postgres ? () => undefined : it;
  const forPostgres: (name: string, fn: () => void) => void = postgres ? it : () => undefined;

  it('validates every object against the Kubernetes OpenAPI schema, unknown fields included', () => {
    expect(schemaProblems(manifests)).toEqual([]);
    expect(manifests.flatMap(unknownFields)).toEqual([]);
  });

  it('would catch a wrong type and an unknown field (the checks can fail)', () => {
    const sts = structuredClone(appWorkload(manifests));
    sts.spec.replicas = 'one';
    sts.spec.template.spec.containers[0].livenessprobe = {};
    expect(schemaProblems([sts]).join()).toMatch(/replicas/);
    expect(unknownFields(sts)).toEqual([`${sts.kind}.spec.template.spec.containers[0].livenessprobe: unknown field of V1Container`]);
  });

  it('is deterministic', () => {
    expect(toYaml(synthesize(renderingValues(rendering)))).toBe(toYaml(manifests));
  });

  it('starts with the namespace, enforcing Pod Security "restricted", and keeps everything in it', () => {
    expect(manifests[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'drafty-bird', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    for (const manifest of manifests.slice(1).filter((m) => !CLUSTER_SCOPED.has(m.kind))) expect(manifest.metadata.namespace).toBe('drafty-bird');
    for (const manifest of manifests) expect(manifest.metadata).toMatchObject({ labels: { 'app.kubernetes.io/part-of': 'drafty-bird-platform', 'app.kubernetes.io/managed-by': 'cdk8s' } });
  });

  forSqlite('sqlite: runs the app as one StatefulSet replica on a `data` claim mounted at /data', () => {
    const sts = find(manifests, 'StatefulSet', 'drafty-bird');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe('drafty-bird-headless');
    expect(find(manifests, 'Service', 'drafty-bird-headless').spec.clusterIP).toBe('None');
    const [claim] = sts.spec.volumeClaimTemplates;
    expect(claim.metadata.name).toBe('data');
    expect(claim.spec.storageClassName).toBe(({ local: 'standard', 'local-ha': 'standard', aws: 'efs-sc', azure: 'azurefile-csi' } as const)[env]);
    const container = sts.spec.template.spec.containers[0];
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(container.env).toContainEqual({ name: 'SCORE_DB_PATH', value: '/data/db.sqlite' });
  });

  forPostgres('postgres: a Rollout scaled 2–10 by an HPA at 70% CPU, spread over zones, rolled in the runbook\'s canary steps without dropping below the minimum', () => {
    const deployment = appWorkload(manifests);
    expect(deployment.kind).toBe('Rollout');
    expect(manifests.filter((m) => m.kind === 'Deployment' && m.metadata.name === 'drafty-bird')).toEqual([]);
    expect(manifests.filter((m) => m.kind === 'StatefulSet' && m.metadata.name === 'drafty-bird')).toEqual([]);
    expect(manifests.filter((m) => m.kind === 'PersistentVolumeClaim' || m.kind === 'StorageClass')).toEqual([]);
    expect(deployment.spec.replicas).toBe(2);
    const { canary } = deployment.spec.strategy;
    expect(canary).toMatchObject({ maxUnavailable: 0, maxSurge: 1 });
    expect(canary.steps).toEqual([10, 20, 50, 70].flatMap((weight) => [{ setWeight: weight }, { pause: { duration: '1m' } }]));
    expect(canary.analysis).toEqual({ templates: [{ templateName: 'drafty-bird-release-gates' }], startingStep: 1, args: [{ name: 'revision', valueFrom: { podTemplateHashValue: 'Latest' } }] });
    const hpa = find(manifests, 'HorizontalPodAutoscaler', 'drafty-bird');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'drafty-bird' }, minReplicas: 2, maxReplicas: 10 });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    const pod = deployment.spec.template.spec;
    // Spread per revision: by the label Argo Rollouts actually puts on a revision's pods.
    expect(pod.topologySpreadConstraints).toContainEqual(expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', matchLabelKeys: ['rollouts-pod-template-hash'] }));
    expect(pod.containers[0].resources.requests.cpu).toBeDefined();
    expect(pod.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath)).not.toContain('/data');
    // The password lives in the site's Secret, referenced by name.
    expect(pod.containers[0].env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'drafty-bird-database', key: 'url' } } });
  });

  forPostgres('postgres: an AnalysisTemplate with the release gates on the new revision, inconclusive without traffic, schema-checked (and the check can fail)', () => {
    const template = find(manifests, 'AnalysisTemplate', 'drafty-bird-release-gates');
    expect(template.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(template.spec.args).toEqual([{ name: 'revision' }]);
    const release = renderingValues(rendering).release;
    expect(template.spec.metrics.map((m: { name: string; provider: { prometheus: { query: string } } }) => [m.name, m.provider.prometheus.query])).toEqual(
      RELEASE_GATES.map((gate) => [gate.name, gate.query('{{args.revision}}', release.window)]),
    );
    for (const metric of template.spec.metrics) {
      expect(metric).toMatchObject({ ...argoConditions(RELEASE_GATES.find((g) => g.name === metric.name)!), failureLimit: release.failureLimit, inconclusiveLimit: release.inconclusiveLimit });
    }
    const broken = structuredClone(template);
    broken.spec.metrics[0].failureLimit = true;
    expect(schemaProblems([broken]).join()).toMatch(/failureLimit/);
  });

  forPostgres('postgres, blueGreen: a preview Service on the public port and promotion only after the gates', () => {
    const blueGreen = synthesize(renderingValues(rendering, ['release.strategy=blueGreen']));
    expect(schemaProblems(blueGreen)).toEqual([]);
    expect(blueGreen.flatMap(unknownFields)).toEqual([]);
    const rollout = appWorkload(blueGreen);
    expect(rollout.spec.strategy.blueGreen).toMatchObject({
      activeService: 'drafty-bird-public',
      previewService: 'drafty-bird-preview',
      prePromotionAnalysis: { templates: [{ templateName: 'drafty-bird-release-gates' }], args: [{ name: 'revision', valueFrom: { podTemplateHashValue: 'Latest' } }] },
    });
    expect(find(blueGreen, 'Service', 'drafty-bird-preview').spec.ports).toEqual([{ name: 'public', port: 8081, targetPort: 'public' }]);
  });

  forPostgres('postgres, canary: real weights through the load balancer in front (ALB, app-routing NGINX), by replica ratio on kind', () => {
    const { canary } = appWorkload(manifests).spec.strategy;
    const ingress = manifests.find((m) => m.kind === 'Ingress') as (Manifest & { spec: any }) | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    const backends = (ingress?.spec.rules ?? []).flatMap((rule: { http: { paths: Array<{ backend: unknown }> } }) => rule.http.paths.map((p) => p.backend));
    if (env === 'local-ha') {
      expect(canary.trafficRouting).toBeUndefined();
      expect(manifests.filter((m) => m.metadata.name === 'drafty-bird-canary')).toEqual([]);
      return;
    }
    expect(canary).toMatchObject({ canaryService: 'drafty-bird-canary', stableService: 'drafty-bird-public' });
    const canaryService = find(manifests, 'Service', 'drafty-bird-canary');
    expect(canaryService.spec.ports).toEqual(find(manifests, 'Service', 'drafty-bird-public').spec.ports);
    expect(canaryService.spec.selector).toEqual(appWorkload(manifests).spec.selector.matchLabels);
    if (env === 'aws') {
      expect(canary.trafficRouting).toEqual({ alb: { ingress: 'drafty-bird', servicePort: 80 } });
      // The ALB forwards through the weighted action Argo writes on the Ingress, named after the stable Service.
      for (const backend of backends) expect(backend).toEqual({ service: { name: 'drafty-bird-public', port: { name: 'use-annotation' } } });
    } else {
      expect(canary.trafficRouting).toEqual({ nginx: { stableIngress: 'drafty-bird' } });
      for (const backend of backends) expect(backend).toEqual({ service: { name: 'drafty-bird-public', port: { name: 'public' } } });
    }
    expect(ingress?.metadata.name).toBe('drafty-bird');
    // blueGreen switches Services, not weights: no router, no canary Service, the Ingress forwards plainly.
    const blueGreen = synthesize(renderingValues(rendering, ['release.strategy=blueGreen']));
    expect(appWorkload(blueGreen).spec.strategy.blueGreen.trafficRouting).toBeUndefined();
    expect(blueGreen.filter((m) => m.metadata.name === 'drafty-bird-canary')).toEqual([]);
    expect(JSON.stringify(blueGreen.find((m) => m.kind === 'Ingress'))).not.toContain('use-annotation');
  });

  forPostgres('postgres: the PodDisruptionBudget allows an eviction at every replica count from the minimum up', () => {
    const pdb = find(manifests, 'PodDisruptionBudget', 'drafty-bird');
    const { minReplicas, maxReplicas } = renderingValues(rendering).scaling;
    for (let replicas = minReplicas; replicas <= maxReplicas; replicas++) {
      const allowed = pdb.spec.maxUnavailable ?? replicas - pdb.spec.minAvailable;
      expect(allowed).toBeGreaterThanOrEqual(1);
      // …and never lets a drain take the service below one ready replica.
      expect(replicas - allowed).toBeGreaterThanOrEqual(1);
    }
    expect(pdb.spec.selector).toEqual(appWorkload(manifests).spec.selector);
  });

  forPostgres('postgres: the app may reach the database and nothing else new; the database admits only the app', () => {
    const appPolicy = find(manifests, 'NetworkPolicy', 'drafty-bird');
    const databaseRule = appPolicy.spec.egress.find((rule: { ports: Array<{ port: number }> }) => rule.ports.some((p) => p.port === 5432));
    expect(databaseRule).toBeDefined();
    if (env === 'local-ha') {
      expect(databaseRule.to).toEqual([{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'drafty-bird-postgres', 'app.kubernetes.io/instance': 'drafty-bird' } } }]);
      const dbPolicy = find(manifests, 'NetworkPolicy', 'drafty-bird-postgres');
      expect(dbPolicy.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: appWorkload(manifests).spec.selector.matchLabels } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
      expect(dbPolicy.spec.egress).toEqual([]);
    } else {
      expect(databaseRule.to.every((peer: { ipBlock?: { cidr: string } }) => peer.ipBlock && peer.ipBlock.cidr !== '0.0.0.0/0')).toBe(true);
      expect(manifests.filter((m) => m.metadata.name === 'drafty-bird-postgres')).toEqual([]);
    }
  });

  it('never contains a Secret; the admin token comes from an optional secret reference', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    const env = appWorkload(manifests).spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'CHAOS_ADMIN_TOKEN', valueFrom: { secretKeyRef: { name: 'drafty-bird-chaos-admin', key: 'token', optional: true } } });
    expect(JSON.stringify(manifests)).not.toContain(`"CHAOS_ADMIN_TOKEN","value":`);
  });

  it('reads chaos from a ConfigMap and names itself in traces with the downward API', () => {
    const container = appWorkload(manifests).spec.template.spec.containers[0];
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'drafty-bird-chaos' } }]);
    expect(find(manifests, 'ConfigMap', 'drafty-bird-chaos').data).toMatchObject({ CHAOS_ENABLED: 'false', CHAOS_ROUTES: '/score,/leaderboard' });
    const variables = Object.fromEntries(container.env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom]));
    expect(variables.OTEL_RESOURCE_ATTRIBUTES).toBe('k8s.namespace.name=$(K8S_NAMESPACE),k8s.pod.name=$(K8S_POD_NAME),k8s.node.name=$(K8S_NODE_NAME)');
    expect(variables.K8S_POD_NAME).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(variables.K8S_NODE_NAME).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    expect(variables.OTEL_EXPORTER_OTLP_ENDPOINT).toMatch(/^http:\/\/.+:4318$/);
    // Dependent variables must be defined before they are referenced.
    const names = container.env.map((e: { name: string }) => e.name);
    expect(names.indexOf('OTEL_RESOURCE_ATTRIBUTES')).toBeGreaterThan(names.indexOf('K8S_NODE_NAME'));
  });

  it('rolls the pods when the chaos settings change (the ConfigMap is read at start only), and only then', () => {
    const template = (sets: string[]) => JSON.stringify(appWorkload(synthesize(renderingValues(rendering, sets))).spec.template);
    expect(template(['chaos.enabled=true', 'chaos.errorRate=1'])).not.toBe(template([]));
    expect(template([])).toBe(JSON.stringify(appWorkload(manifests).spec.template));
  });

  it('gives Kubernetes more time than the service needs to drain (its deadline, delay included)', () => {
    const pod = appWorkload(manifests).spec.template.spec;
    const delay = Number(pod.containers[0].env.find((e: { name: string }) => e.name === 'SHUTDOWN_DELAY_MS').value);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(SHUTDOWN_DEADLINE_MS / 1000);
    expect(delay / 1000).toBeLessThan(pod.terminationGracePeriodSeconds - 5);
  });

  it('exposes only the public routes, through the public port', () => {
    const service = find(manifests, 'Service', 'drafty-bird-public');
    expect(service.spec.ports[0].targetPort).toBe('public');
    for (const ingress of manifests.filter((m) => m.kind === 'Ingress') as any[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
      const paths = ingress.spec.rules.flatMap((rule: any) => rule.http.paths.map((p: { path: string }) => p.path)); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(paths.sort()).toEqual(Object.values(PLAYER_ROUTES).sort());
      // Straight to the public port, or (ALB canary) through Argo's weighted action to Services on it.
      for (const rule of ingress.spec.rules) for (const path of rule.http.paths) expect(path.backend.service).toMatchObject({ name: 'drafty-bird-public', port: { name: expect.stringMatching(/^(public|use-annotation)$/) } });
    }
    for (const service of manifests.filter((m) => m.kind === 'Service' && /-(canary|preview)$/.test(m.metadata.name)) as any[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(service.spec.ports.map((p: { targetPort: string }) => p.targetPort)).toEqual(['public']);
    }
  });
});

describe('per-environment exposure', () => {
  it('local: a NodePort that kind-config.yaml maps to localhost:8080', () => {
    const service = find(manifestsOf('local'), 'Service', 'drafty-bird-public');
    expect(service.spec.type).toBe('NodePort');
    const kind = parse(readFileSync(join(ROOT, 'kind-config.yaml'), 'utf8'));
    const mappings = kind.nodes.flatMap((node: { extraPortMappings?: unknown[] }) => node.extraPortMappings ?? []);
    expect(mappings).toContainEqual(expect.objectContaining({ containerPort: service.spec.ports[0].nodePort, hostPort: 8080 }));
    expect(manifestsOf('local').filter((m) => m.kind === 'Ingress')).toEqual([]);
  });

  it('aws: an ALB Ingress with HTTPS, the certificate from values, target type ip and /healthz checks', () => {
    const ingress = find(manifestsOf('aws'), 'Ingress', 'drafty-bird');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata).toMatchObject({
      annotations: {
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/healthcheck-path': '/healthz',
        'alb.ingress.kubernetes.io/certificate-arn': expect.stringMatching(/^arn:aws:acm:/),
        'alb.ingress.kubernetes.io/listen-ports': expect.stringContaining('HTTPS'),
      },
    });
  });

  it('azure: an application-routing Ingress whose TLS Secret the add-on fills from Key Vault', () => {
    const ingress = find(manifestsOf('azure'), 'Ingress', 'drafty-bird');
    expect(ingress.spec.ingressClassName).toBe('webapprouting.kubernetes.azure.com');
    expect(ingress.metadata).toMatchObject({ annotations: { 'kubernetes.azure.com/tls-cert-keyvault-uri': 'https://drafty-bird-kv.vault.azure.net/certificates/drafty-bird' } });
    expect(ingress.spec.tls).toEqual([{ hosts: ['drafty-bird.example.com'], secretName: 'keyvault-drafty-bird' }]);
  });

  it('aws and azure hand observability to managed services; local runs Prometheus, Alertmanager, Grafana and Jaeger', () => {
    expect(podTemplates(manifestsOf('local')).map((p) => p.owner).sort()).toEqual(['Deployment/alertmanager', 'Deployment/drafty-bird-players', 'Deployment/grafana', 'Deployment/jaeger', 'Deployment/prometheus', 'StatefulSet/drafty-bird']);
    for (const env of ['aws', 'azure'] as const) {
      expect(podTemplates(manifestsOf(env)).map((p) => p.owner)).toEqual(['StatefulSet/drafty-bird']);
    }
  });
});

describe('alert delivery in the cluster', () => {
  const manifests = manifestsOf('local');
  const prometheusConfigMap = find(manifests, 'ConfigMap', 'prometheus-config');

  it('Prometheus sends its alerts to the in-namespace Alertmanager, which routes page, ticket and info', () => {
    const config = parse(prometheusConfigMap.data!['prometheus.yml']!);
    expect(config.alerting.alertmanagers).toEqual([{ static_configs: [{ targets: ['alertmanager.drafty-bird.svc.cluster.local:9093'] }] }]);
    const routing = parse(find(manifests, 'ConfigMap', 'alertmanager-config').data!['alertmanager.yml']!);
    expect(routing.route.routes.map((r: { matchers: string[]; receiver: string }) => [r.matchers, r.receiver])).toEqual([
      [['severity="page"'], 'page'],
      [['severity="ticket"'], 'ticket'],
      [['severity="info"'], 'info'],
    ]);
    // Without a webhook configured, nothing leaves: receivers without destinations, no egress.
    expect(routing.receivers).toEqual([{ name: 'page' }, { name: 'ticket' }, { name: 'info' }]);
    expect(find(manifests, 'NetworkPolicy', 'alertmanager').spec.egress).toEqual([]);
  });

  it('with a webhook every severity is delivered there, resolved notifications included, and the Alertmanager may reach it', () => {
    const withWebhook = synthesize(exampleValues('local', ['observability.alertmanager.webhookUrl=https://hooks.example.com/drafty']));
    const routing = parse(find(withWebhook, 'ConfigMap', 'alertmanager-config').data!['alertmanager.yml']!);
    for (const receiver of routing.receivers) expect(receiver.webhook_configs).toEqual([{ url: 'https://hooks.example.com/drafty', send_resolved: true }]);
    expect(find(withWebhook, 'NetworkPolicy', 'alertmanager').spec.egress).toHaveLength(2);
    expect(() => exampleValues('local', ['observability.alertmanager.webhookUrl=hooks.example.com'])).toThrow(/webhookUrl: must be empty or an http\(s\) URL/);
  });

  it('only Prometheus may send alerts to the Alertmanager, and Prometheus may reach it', () => {
    expect(find(manifests, 'NetworkPolicy', 'alertmanager').spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: selectorLabels('prometheus') } }], ports: [{ protocol: 'TCP', port: 9093 }] }]);
    expect(find(manifests, 'NetworkPolicy', 'prometheus').spec.egress).toContainEqual({ to: [{ podSelector: { matchLabels: selectorLabels('alertmanager') } }], ports: [{ protocol: 'TCP', port: 9093 }] });
  });
});

describe('Grafana in the cluster', () => {
  const manifests = manifestsOf('local');

  it('provisions the generated dashboards and the in-namespace Prometheus and Jaeger, and may reach only those', () => {
    expect(find(manifests, 'ConfigMap', 'grafana-dashboards').data).toEqual(dashboardFiles());
    const datasources = parse(find(manifests, 'ConfigMap', 'grafana-provisioning').data!['datasources.yaml']!);
    expect(datasources.datasources.map((d: { type: string; url: string }) => [d.type, d.url])).toEqual([
      ['prometheus', 'http://prometheus.drafty-bird.svc.cluster.local:9090'],
      ['jaeger', 'http://jaeger.drafty-bird.svc.cluster.local:16686'],
    ]);
    const policy = find(manifests, 'NetworkPolicy', 'grafana').spec;
    expect(policy.ingress).toEqual([]);
    expect(policy.egress.slice(1)).toEqual([
      { to: [{ podSelector: { matchLabels: selectorLabels('prometheus') } }], ports: [{ protocol: 'TCP', port: 9090 }] },
      { to: [{ podSelector: { matchLabels: selectorLabels('jaeger') } }], ports: [{ protocol: 'TCP', port: 16686 }] },
    ]);
    expect(find(manifests, 'NetworkPolicy', 'prometheus').spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: selectorLabels('grafana') } }], ports: [{ protocol: 'TCP', port: 9090 }] });
  });
});

describe('synthetic players in the cluster', () => {
  const manifests = manifestsOf('local');
  const players = find(manifests, 'Deployment', 'drafty-bird-players');
  const container = players.spec.template.spec.containers[0];

  it("run the app image's players command against the public Service only, with the cohort header", () => {
    expect(container.image).toBe(find(manifests, 'StatefulSet', 'drafty-bird').spec.template.spec.containers[0].image);
    expect([...container.command, ...container.args]).toEqual([
      'node', '--enable-source-maps', 'dist/players/main.js',
      '--target', 'http://drafty-bird-public.drafty-bird.svc.cluster.local:8081',
      '--players', '8', '--arrival-rate', '0.5', '--ramp', '30s',
      '--metrics-host', '0.0.0.0', '--metrics-port', '9465',
      '--header', 'x-drafty-cohort=synthetic',
    ]);
    const policy = find(manifests, 'NetworkPolicy', 'drafty-bird-players').spec;
    expect(policy.egress.slice(1)).toEqual([{ to: [{ podSelector: { matchLabels: selectorLabels('drafty-bird') } }], ports: [{ protocol: 'TCP', port: 8081 }] }]);
    expect(policy.ingress).toEqual([{ from: [{ podSelector: { matchLabels: selectorLabels('prometheus') } }], ports: [{ protocol: 'TCP', port: 9465 }] }]);
    expect(find(manifests, 'NetworkPolicy', 'drafty-bird').spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: selectorLabels('drafty-bird-players') } }], ports: [{ protocol: 'TCP', port: 8081 }] });
  });

  it("are scraped as their own job, so the service's up and SLOs never count them", () => {
    const config = parse(find(manifests, 'ConfigMap', 'prometheus-config').data!['prometheus.yml']!);
    expect(config.scrape_configs.map((job: { job_name: string }) => job.job_name)).toEqual(['drafty-bird', 'drafty-bird-players']);
    expect(players.spec.template.metadata.annotations?.['prometheus.io/scrape']).toBeUndefined();
  });

  it('are off on aws and azure, where real players are the traffic', () => {
    for (const env of ['aws', 'azure'] as const) expect(manifestsOf(env).filter((m) => m.metadata.name === 'drafty-bird-players')).toEqual([]);
  });
});

describe('committed manifests', () => {
  it('k8s/local is committed exactly as synthesized (run `npm run synth` after changing charts/)', () => {
    expect(toYaml(manifestsOf('local'))).toBe(readFileSync(join(ROOT, 'k8s', 'local', 'drafty-bird.yaml'), 'utf8'));
  });

  it('k8s/local-ha (PostgreSQL mode on kind) is committed exactly as synthesized', () => {
    expect(toYaml(manifestsOf('local-ha'))).toBe(readFileSync(join(ROOT, 'k8s', 'local-ha', 'drafty-bird.yaml'), 'utf8'));
  });

  it('no cloud manifest with stand-in values is committed: aws and azure are rendered from a site values file', () => {
    expect(spawnSync('ls', [join(ROOT, 'k8s')], { encoding: 'utf8' }).stdout.trim().split('\n')).toEqual(['local', 'local-ha']);
  });
});

describe('site values for the clouds', () => {
  it.each(['aws', 'azure'] as const)('%s refuses to render without them, naming every missing key', (env) => {
    let problems: string[] = [];
    try {
      resolveValues(env);
    } catch (error) {
      problems = (error as ValuesError).problems;
    }
    const example = readValuesFile(examplesFile(env));
    const leaves = (tree: Record<string, unknown>, prefix = ''): string[] =>
      Object.entries(tree).flatMap(([key, value]) =>
        value && typeof value === 'object' && !Array.isArray(value) ? leaves(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}`],
      );
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(leaves(example).sort());
    for (const problem of problems) expect(problem).toContain(`required for ${env}`);
  });

  it('the command line refuses too, with the same message and exit 2', () => {
    const result = spawnSync(process.execPath, ['--experimental-strip-types', join(__dirname, 'main.ts'), '--env', 'aws', '--out', '-'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('storage.efsFileSystemId: required for aws');
    expect(result.stdout).toBe('');
  });

  it('aws: the efs-sc StorageClass the claim names, on the site\'s file system, owned by the app UID, retained', () => {
    const manifests = manifestsOf('aws');
    const storageClass = find(manifests, 'StorageClass', 'efs-sc') as unknown as Manifest & { provisioner: string; reclaimPolicy: string; parameters: Record<string, string> };
    expect(storageClass.provisioner).toBe('efs.csi.aws.com');
    expect(storageClass.reclaimPolicy).toBe('Retain');
    expect(storageClass.parameters).toMatchObject({ provisioningMode: 'efs-ap', fileSystemId: 'fs-0123456789abcdef0', uid: '10001', gid: '10001' });
    expect(find(manifests, 'StatefulSet', 'drafty-bird').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('efs-sc');
    expect(manifestsOf('azure').filter((m) => m.kind === 'StorageClass')).toEqual([]);
  });

  it('aws: the alert rules go to the AMP workspace as an ACK RuleGroupsNamespace that promtool accepts', () => {
    const group = manifestsOf('aws').find((m) => m.kind === ACK_RULE_GROUPS.kind) as Manifest & { spec: { workspaceID: string; configuration: string } };
    expect(group.apiVersion).toBe(ACK_RULE_GROUPS.apiVersion);
    expect(group.spec.workspaceID).toBe('ws-11111111-2222-3333-4444-555555555555');
    expect(parse(group.spec.configuration)).toEqual(ruleFile());
    const dir = mkdtempSync(join(tmpdir(), 'drafty-amp-'));
    try {
      writeFileSync(join(dir, 'rules.yml'), group.spec.configuration);
      const check = spawnSync('promtool', ['check', 'rules', join(dir, 'rules.yml')], { encoding: 'utf8' });
      if (check.error) console.warn('*** promtool is missing: the AMP rules file was not checked (Debian package `prometheus`) ***');
      else expect(`${check.status} ${check.stdout}${check.stderr}`).toMatch(/^0 .*SUCCESS/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('azure: the same recording rules and alerts, in order, as an Azure Service Operator PrometheusRuleGroup on the Azure Monitor workspace', () => {
    const group = manifestsOf('azure').find((m) => m.kind === ASO_RULE_GROUP.kind) as Manifest & { spec: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(group.apiVersion).toBe(ASO_RULE_GROUP.apiVersion);
    expect(group.spec.scopesReferences).toEqual([{ armId: expect.stringMatching(/\/providers\/Microsoft\.Monitor\/accounts\//) }]);
    expect(group.spec.owner.armId).toMatch(/\/resourceGroups\/drafty-bird$/);
    const rules = ruleFile(ruleOptions(exampleValues('azure'))).groups.flatMap((g) => g.rules);
    expect(group.spec.rules.map((r: { alert?: string; record?: string; expression: string }) => [r.record ?? r.alert, r.expression])).toEqual(rules.map((r) => ['record' in r ? r.record : r.alert, r.expr]));
    // The burn-rate alerts read recorded series: the records come first.
    expect(group.spec.rules.findIndex((r: { alert?: string }) => r.alert === 'DraftyBirdAvailabilityBudgetBurn')).toBeGreaterThan(group.spec.rules.findLastIndex((r: { record?: string }) => r.record));
    expect(group.spec.rules.find((r: { alert: string }) => r.alert === 'DraftyBirdHighErrorRate').for).toBe('PT5M');
  });

  it('aws: the managed scraper, which runs outside the cluster, is admitted by its subnets, not by a namespace', () => {
    const policy = find(manifestsOf('aws'), 'NetworkPolicy', 'drafty-bird');
    const scrape = policy.spec.ingress.find((rule: { ports: Array<{ port: number }> }) => rule.ports[0]!.port === 8080);
    expect(scrape.from).toEqual([{ ipBlock: { cidr: '10.0.11.0/24' } }, { ipBlock: { cidr: '10.0.12.0/24' } }]);
  });
});

describe('the image', () => {
  it('the local profile runs the version package.json builds (cluster:up deploys a content-tagged build instead)', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(resolveValues('local').image.tag).toBe(version);
  });
});

describe('compose files', () => {
  it('are committed exactly as generated from the same rules as the cluster', () => {
    for (const [name, content] of Object.entries(composePrometheusFiles())) {
      expect(readFileSync(join(ROOT, 'compose', 'prometheus', name), 'utf8')).toBe(content);
    }
    for (const [name, content] of Object.entries(composeAlertmanagerFiles())) {
      expect(readFileSync(join(ROOT, 'compose', 'alertmanager', name), 'utf8')).toBe(content);
    }
    for (const [name, content] of Object.entries(composeGrafanaFiles())) {
      expect(readFileSync(join(ROOT, 'compose', 'grafana', name), 'utf8')).toBe(content);
    }
    const clusterRules = find(manifestsOf('local'), 'ConfigMap', 'prometheus-config').data!['alerts.yml'];
    expect(parse(composePrometheusFiles()['alerts.yml']!)).toEqual(parse(clusterRules!));
    const clusterRouting = find(manifestsOf('local'), 'ConfigMap', 'alertmanager-config').data!['alertmanager.yml'];
    expect(parse(composeAlertmanagerFiles()['alertmanager.yml']!)).toEqual(parse(clusterRouting!));
  });

  it('the Grafana dashboards in dashboards/ are committed exactly as generated', () => {
    for (const [name, content] of Object.entries(dashboardFiles())) expect(readFileSync(join(ROOT, 'dashboards', name), 'utf8')).toBe(content);
  });

  it("docker-compose.yml runs the chart's Prometheus and Alertmanager images, the Alertmanager as the chart's container does", () => {
    const { services } = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image: string; command?: string[] }> };
    expect(services.prometheus?.image).toBe(LOCAL.observability.prometheus.image);
    expect(services.alertmanager?.image).toBe(LOCAL.observability.alertmanager.image);
    expect(services.grafana?.image).toBe(LOCAL.observability.grafana.image);
    const container = find(manifestsOf('local'), 'Deployment', 'alertmanager').spec.template.spec.containers[0];
    expect(services.alertmanager?.command).toEqual(container.args);
  });
});
