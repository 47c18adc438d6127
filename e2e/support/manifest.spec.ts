import type { Manifest } from '../../charts/synth.ts';
import { type Container, containerEnv, mapMounts } from './manifest.ts';

describe('running a manifest container here', () => {
  const mounts = { '/data': '/tmp/e2e/data', '/tmp': '/tmp/e2e/tmp', '/etc/prometheus': '/tmp/e2e/config' };

  it.each([
    ['/data/db.sqlite', '/tmp/e2e/data/db.sqlite'],
    ['--storage.tsdb.path=/data', '--storage.tsdb.path=/tmp/e2e/data'],
    ['--config.file=/etc/prometheus/prometheus.yml', '--config.file=/tmp/e2e/config/prometheus.yml'],
    ['/database', '/database'],
    ['http://jaeger:4318', 'http://jaeger:4318'],
    ['8080', '8080'],
  ])('maps %s once, by the longest mount', (value, mapped) => expect(mapMounts(value, mounts)).toBe(mapped));

  it('resolves envFrom, ConfigMap, Secret and downward-API references and expands $(VAR) as the kubelet does', () => {
    const manifests = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'chaos' }, data: { CHAOS_ENABLED: 'false', EXTRA: 'x' } }] as Manifest[];
    const container: Container = {
      name: 'app',
      image: 'app',
      envFrom: [{ configMapRef: { name: 'chaos' } }],
      env: [
        { name: 'CHAOS_ENABLED', value: 'true' },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'admin', key: 'token', optional: true } } },
        { name: 'MISSING', valueFrom: { secretKeyRef: { name: 'absent', key: 'token', optional: true } } },
        { name: 'ATTRS', value: 'pod=$(POD),kept=$(UNDEFINED),literal=$$(POD)' },
      ],
    };
    const env = containerEnv(manifests, container, { podName: 'app-0', namespace: 'ns', nodeName: 'n', secrets: { admin: { token: 't' } } });
    expect(env).toEqual({ CHAOS_ENABLED: 'true', EXTRA: 'x', POD: 'app-0', TOKEN: 't', ATTRS: 'pod=app-0,kept=$(UNDEFINED),literal=$(POD)' });
  });

  it('refuses references it cannot resolve rather than dropping them', () => {
    const container: Container = { name: 'app', image: 'app', env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }] };
    expect(() => containerEnv([], container, { podName: 'p', namespace: 'n', nodeName: 'n', secrets: {} })).toThrow('unsupported fieldRef status.hostIP');
  });
});
