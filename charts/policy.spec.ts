import { RENDERINGS, renderingValues } from './testing/example-values.ts';
import { type Manifest, synthesize } from './synth.ts';
import { type ContainerSpec, podTemplates } from './testing/manifest-checks.ts';

/**
 * Pod Security "restricted", field by field, and what kube-score and Polaris would flag, for every pod
 * template of every environment. Neither tool installs here, so the rules are written out.
 */
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** Pods that need the API (documented in the chart): Prometheus discovers the app's pods. */
const TOKEN_ALLOWED = new Set(['Deployment/prometheus']);

describe.each(RENDERINGS)('policy of the $name rendering', (rendering) => {
  const manifests = synthesize(renderingValues(rendering));
  const pods = podTemplates(manifests);
  const containersOf = (spec: { containers: ContainerSpec[]; initContainers?: ContainerSpec[] }) => [...spec.containers, ...(spec.initContainers ?? [])];

  it('has pods to check', () => expect(pods.length).toBeGreaterThan(0));

  describe.each(pods.map((pod) => [pod.owner, pod] as const))('%s', (_owner, pod) => {
    it('meets Pod Security "restricted" at pod level', () => {
      const sc = pod.spec.securityContext ?? {};
      expect(sc.runAsNonRoot).toBe(true);
      expect(sc.seccompProfile?.type).toMatch(/^(RuntimeDefault|Localhost)$/);
      expect(pod.spec.hostNetwork ?? false).toBe(false);
      expect(pod.spec.hostPID ?? false).toBe(false);
      expect(pod.spec.hostIPC ?? false).toBe(false);
      for (const volume of pod.spec.volumes ?? []) {
        expect(Object.keys(volume).filter((key) => key !== 'name').every((type) => RESTRICTED_VOLUME_TYPES.includes(type))).toBe(true);
      }
    });

    it('meets Pod Security "restricted" for every container, and runs read-only as a non-root UID', () => {
      for (const container of containersOf(pod.spec)) {
        const sc = container.securityContext ?? {};
        expect(sc.allowPrivilegeEscalation).toBe(false);
        expect(sc.privileged ?? false).toBe(false);
        expect(sc.capabilities?.drop).toContain('ALL');
        expect(sc.capabilities?.add ?? []).toEqual([]);
        expect(sc.readOnlyRootFilesystem).toBe(true);
        expect(sc.runAsUser ?? pod.spec.securityContext?.runAsUser).not.toBe(0);
        expect(container.ports?.every((port) => !('hostPort' in port)) ?? true).toBe(true);
      }
    });

    it('has startup, liveness and readiness probes, liveness and readiness different', () => {
      for (const container of pod.spec.containers) {
        expect(container.startupProbe).toBeDefined();
        expect(container.livenessProbe).toBeDefined();
        expect(container.readinessProbe).toBeDefined();
        expect(container.readinessProbe).not.toEqual(container.livenessProbe);
      }
    });

    it('requests and limits CPU and memory', () => {
      for (const container of containersOf(pod.spec)) {
        expect(container.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(container.resources?.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      }
    });

    it('uses a pinned image (a version tag or a digest, never latest)', () => {
      for (const container of containersOf(pod.spec)) {
        expect(container.image).toMatch(/(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$/);
        expect(container.image).not.toMatch(/:latest$/);
      }
    });

    it('mounts no service account token unless it needs the API', () => {
      if (TOKEN_ALLOWED.has(pod.owner)) return;
      expect(pod.spec.automountServiceAccountToken).toBe(false);
    });

    it('is selected by a NetworkPolicy of its own beside the default deny', () => {
      const own = manifests.filter((m) => m.kind === 'NetworkPolicy' && m.metadata.name !== 'default-deny').filter((m) => selects(m, pod.labels));
      expect(own.map((m) => m.metadata.name)).toHaveLength(1);
    });
  });

  it('denies all ingress and egress by default', () => {
    const deny = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'default-deny') as Manifest & { spec: unknown };
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  it('has no allow rule with an empty `from`/`to` (which would mean "everyone")', () => {
    for (const policy of manifests.filter((m) => m.kind === 'NetworkPolicy') as Array<Manifest & { spec: { ingress?: Array<{ from?: unknown[] }>; egress?: Array<{ to?: unknown[] }> } }>) {
      for (const rule of policy.spec.ingress ?? []) expect(rule.from?.length).toBeGreaterThan(0);
      for (const rule of policy.spec.egress ?? []) expect(rule.to?.length).toBeGreaterThan(0);
    }
  });

  it('lets the app receive :8080 only from the scraper, and the public port only from the exposure path', () => {
    const app = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'drafty-bird') as Manifest & { spec: { ingress: Array<{ from: unknown[]; ports: Array<{ port: number }> }> } };
    const byPort = new Map(app.spec.ingress.map((rule) => [rule.ports.map((p) => p.port).join(), rule.from]));
    expect([...byPort.keys()].sort()).toEqual(['8080', '8081']);
    // The scraper's identity: the in-namespace Prometheus, a managed agent's pods, or — for AWS's
    // managed scraper, which runs outside the cluster — exactly the subnets it was created in.
    const { scraper } = renderingValues(rendering).observability;
    const blocks = JSON.stringify(byPort.get('8080')).match(/"cidr":"[^"]+"/g) ?? [];
    expect(blocks).toEqual(scraper.cidrs.map((cidr) => `"cidr":"${cidr}"`));
    expect(blocks).not.toContain('"cidr":"0.0.0.0/0"');
  });

  it('has Services that select existing pods and name existing container ports', () => {
    for (const service of manifests.filter((m) => m.kind === 'Service') as Array<Manifest & { spec: { selector: Record<string, string>; ports: Array<{ targetPort: string }> } }>) {
      const matching = pods.filter((pod) => Object.entries(service.spec.selector).every(([k, v]) => pod.labels[k] === v));
      expect({ service: service.metadata.name, pods: matching.length }).toEqual({ service: service.metadata.name, pods: 1 });
      const portNames = matching[0]!.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
      for (const port of service.spec.ports) expect(portNames).toContain(port.targetPort);
    }
  });
});

function selects(policy: Manifest, labels: Record<string, string>): boolean {
  const selector = (policy as unknown as { spec: { podSelector: { matchLabels?: Record<string, string> } } }).spec.podSelector;
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}
