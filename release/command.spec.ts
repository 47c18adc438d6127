import { KubeConfig } from '@kubernetes/client-node';
import { connect, ContextError } from './cluster.ts';
import { parseCommand, UsageError } from './command.ts';

describe('the release command line', () => {
  it('releases to the kind cluster by name for the local profiles, with the documented defaults', () => {
    expect(parseCommand(['--set', 'image.tag=1.2.3'], {})).toEqual({
      action: 'release',
      env: 'local',
      valuesFiles: [],
      sets: ['image.tag=1.2.3'],
      context: 'kind-drafty-bird',
      prometheusUrl: 'http://127.0.0.1:9090',
      bakeMs: 120_000,
      timeoutMs: 300_000,
    });
    expect(parseCommand(['--env', 'local-ha'], { CLUSTER: 'game-day' }).context).toBe('kind-game-day');
    expect(parseCommand(['--bake', '90s', '--timeout', '1h', '--prometheus', 'http://127.0.0.1:19090/'], {})).toMatchObject({ bakeMs: 90_000, timeoutMs: 3_600_000, prometheusUrl: 'http://127.0.0.1:19090' });
  });

  it('never picks a context for a cloud: --context is required there', () => {
    expect(() => parseCommand(['--env', 'aws'], {})).toThrow(new UsageError('--env aws needs --context NAME: the release never goes to whatever context happens to be current'));
    expect(parseCommand(['--env', 'azure', '--context', 'aks-prod'], {}).context).toBe('aks-prod');
  });

  it('reads history and rollback [N], and refuses what it does not understand', () => {
    expect(parseCommand(['history'], {}).action).toBe('history');
    expect(parseCommand(['rollback'], {})).toMatchObject({ action: 'rollback' });
    expect(parseCommand(['rollback'], {}).revision).toBeUndefined();
    expect(parseCommand(['rollback', '3'], {}).revision).toBe(3);
    expect(() => parseCommand(['rollback', 'three'], {})).toThrow(/expected a revision number/);
    expect(() => parseCommand(['history', '3'], {})).toThrow(/unexpected argument 3/);
    expect(() => parseCommand(['deploy'], {})).toThrow(/unknown command deploy/);
    expect(() => parseCommand(['--bake', 'soon'], {})).toThrow(/--bake soon: expected a duration/);
    expect(() => parseCommand(['--env', 'gcp'], {})).toThrow(/--env gcp: expected one of local, local-ha, aws, azure/);
  });
});

describe('the cluster connection', () => {
  const kubeconfig = () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'kind', server: 'https://127.0.0.1:6443' }, { name: 'prod', server: 'https://prod.example:6443' }],
      users: [{ name: 'me', token: 'x' }],
      contexts: [{ name: 'kind-drafty-bird', cluster: 'kind', user: 'me' }, { name: 'prod', cluster: 'prod', user: 'me' }],
      currentContext: 'prod',
    });
    return kc;
  };

  it('uses the context it was given, whatever the current one is', () => {
    const kc = kubeconfig();
    expect(connect('kind-drafty-bird', kc).context).toBe('kind-drafty-bird');
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
  });

  it('refuses a context the kubeconfig does not have, naming the ones it has', () => {
    expect(() => connect('kind-other', kubeconfig())).toThrow(ContextError);
    expect(() => connect('kind-other', kubeconfig())).toThrow('context kind-other is not in your kubeconfig (it has: kind-drafty-bird, prod)');
  });
});
