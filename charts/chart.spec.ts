import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resolveValues } from './overrides.ts';
import { composePrometheusFiles, type Manifest, synthesize, toYaml } from './synth.ts';
import { podTemplates, schemaProblems, unknownFields } from './testing/manifest-checks.ts';
import { ENVIRONMENTS, type Environment } from './values.ts';

const ROOT = join(__dirname, '..');
const manifestsOf = (env: Environment) => synthesize(resolveValues(env));
const find = (manifests: Manifest[], kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not synthesized`);
  return found as Manifest & { spec: any; data?: Record<string, string> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe.each(ENVIRONMENTS)('the %s environment', (env) => {
  const manifests = manifestsOf(env);

  it('validates every object against the Kubernetes OpenAPI schema, unknown fields included', () => {
    expect(schemaProblems(manifests)).toEqual([]);
    expect(manifests.flatMap(unknownFields)).toEqual([]);
  });

  it('would catch a wrong type and an unknown field (the checks can fail)', () => {
    const sts = structuredClone(find(manifests, 'StatefulSet', 'drafty-bird'));
    sts.spec.replicas = 'one';
    sts.spec.template.spec.containers[0].livenessprobe = {};
    expect(schemaProblems([sts]).join()).toMatch(/replicas/);
    expect(unknownFields(sts)).toEqual(['StatefulSet.spec.template.spec.containers[0].livenessprobe: unknown field of V1Container']);
  });

  it('is committed under k8s/ exactly as synthesized (run `npm run synth` after changing charts/)', () => {
    const committed = readFileSync(join(ROOT, 'k8s', env, 'drafty-bird.yaml'), 'utf8');
    expect(toYaml(manifestsOf(env))).toBe(committed);
  });

  it('is deterministic', () => {
    expect(toYaml(manifestsOf(env))).toBe(toYaml(manifests));
  });

  it('starts with the namespace, enforcing Pod Security "restricted", and keeps everything in it', () => {
    expect(manifests[0]).toMatchObject({ kind: 'Namespace', metadata: { name: 'drafty-bird', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    for (const manifest of manifests.slice(1)) expect(manifest.metadata.namespace).toBe('drafty-bird');
    for (const manifest of manifests) expect(manifest.metadata).toMatchObject({ labels: { 'app.kubernetes.io/part-of': 'drafty-bird-platform', 'app.kubernetes.io/managed-by': 'cdk8s' } });
  });

  it('runs the app as one StatefulSet replica on a `data` claim mounted at /data', () => {
    const sts = find(manifests, 'StatefulSet', 'drafty-bird');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe('drafty-bird-headless');
    expect(find(manifests, 'Service', 'drafty-bird-headless').spec.clusterIP).toBe('None');
    const [claim] = sts.spec.volumeClaimTemplates;
    expect(claim.metadata.name).toBe('data');
    expect(claim.spec.storageClassName).toBe({ local: 'standard', aws: 'efs-sc', azure: 'azurefile-csi' }[env]);
    const container = sts.spec.template.spec.containers[0];
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(container.env).toContainEqual({ name: 'SCORE_DB_PATH', value: '/data/db.sqlite' });
  });

  it('never contains a Secret; the admin token comes from an optional secret reference', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    const env = find(manifests, 'StatefulSet', 'drafty-bird').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'CHAOS_ADMIN_TOKEN', valueFrom: { secretKeyRef: { name: 'drafty-bird-chaos-admin', key: 'token', optional: true } } });
    expect(JSON.stringify(manifests)).not.toContain(`"CHAOS_ADMIN_TOKEN","value":`);
  });

  it('reads chaos from a ConfigMap and names itself in traces with the downward API', () => {
    const container = find(manifests, 'StatefulSet', 'drafty-bird').spec.template.spec.containers[0];
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

  it('gives Kubernetes more time than the service needs to drain (25 s deadline, delay included)', () => {
    const pod = find(manifests, 'StatefulSet', 'drafty-bird').spec.template.spec;
    const delay = Number(pod.containers[0].env.find((e: { name: string }) => e.name === 'SHUTDOWN_DELAY_MS').value);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(25);
    expect(delay / 1000).toBeLessThan(pod.terminationGracePeriodSeconds - 5);
  });

  it('exposes only the public routes, through the public port', () => {
    const service = find(manifests, 'Service', 'drafty-bird-public');
    expect(service.spec.ports[0].targetPort).toBe('public');
    for (const ingress of manifests.filter((m) => m.kind === 'Ingress') as any[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
      const paths = ingress.spec.rules.flatMap((rule: any) => rule.http.paths.map((p: { path: string }) => p.path)); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(paths.sort()).toEqual(['/', '/assets/', '/favicon.svg', '/game-start', '/index.html', '/leaderboard', '/score']);
      for (const rule of ingress.spec.rules) for (const path of rule.http.paths) expect(path.backend.service).toEqual({ name: 'drafty-bird-public', port: { name: 'public' } });
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

  it('azure: an application-routing Ingress with TLS', () => {
    const ingress = find(manifestsOf('azure'), 'Ingress', 'drafty-bird');
    expect(ingress.spec.ingressClassName).toBe('webapprouting.kubernetes.azure.com');
    expect(ingress.spec.tls).toEqual([{ hosts: ['drafty-bird.example.com'], secretName: 'drafty-bird-tls' }]);
  });

  it('aws and azure hand observability to managed services; local runs Prometheus and Jaeger', () => {
    expect(podTemplates(manifestsOf('local')).map((p) => p.owner).sort()).toEqual(['Deployment/jaeger', 'Deployment/prometheus', 'StatefulSet/drafty-bird']);
    for (const env of ['aws', 'azure'] as const) {
      expect(podTemplates(manifestsOf(env)).map((p) => p.owner)).toEqual(['StatefulSet/drafty-bird']);
    }
  });
});

describe('the image', () => {
  it('the local profile runs the version package.json builds (cluster:up tags the image with it)', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(resolveValues('local').image.tag).toBe(version);
  });
});

describe('compose files', () => {
  it('are committed exactly as generated from the same rules as the cluster', () => {
    for (const [name, content] of Object.entries(composePrometheusFiles())) {
      expect(readFileSync(join(ROOT, 'compose', 'prometheus', name), 'utf8')).toBe(content);
    }
    const clusterRules = find(manifestsOf('local'), 'ConfigMap', 'prometheus-config').data!['alerts.yml'];
    expect(parse(composePrometheusFiles()['alerts.yml']!)).toEqual(parse(clusterRules!));
  });
});
