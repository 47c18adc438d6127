import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { Alertmanager } from './constructs/alertmanager.ts';
import { Grafana } from './constructs/grafana.ts';
import { AppWorkload } from './constructs/app-workload.ts';
import { Exposure } from './constructs/exposure.ts';
import { InClusterPostgres } from './constructs/in-cluster-postgres.ts';
import { ReleaseAnalysis } from './constructs/release-analysis.ts';
import { ScaleOut } from './constructs/scale-out.ts';
import { DraftyBirdNamespace } from './constructs/namespace.ts';
import { NetworkPolicies } from './constructs/network-policies.ts';
import { ManagedAlertRules } from './constructs/managed-alert-rules.ts';
import { inClusterOtlpEndpoint, Observability } from './constructs/observability.ts';
import { Players } from './constructs/players.ts';
import { Storage } from './constructs/storage.ts';
import type { Values } from './values.ts';

/** Everything Drafty Bird needs in one namespace, one construct per concern. */
export class DraftyBirdChart extends Chart {
  constructor(scope: Construct, id: string, values: Values) {
    super(scope, id, { disableResourceNameHashes: true });
    const { inCluster, otlpEndpoint } = values.observability;
    new DraftyBirdNamespace(this, 'namespace', { name: values.namespace });
    const scaleOut = values.database.engine === 'postgres';
    if (!scaleOut) new Storage(this, 'storage', { values });
    new AppWorkload(this, 'app', { values, otlpEndpoint: inCluster ? inClusterOtlpEndpoint(values.namespace) : otlpEndpoint });
    if (scaleOut) new ScaleOut(this, 'scale-out', { values });
    if (scaleOut) new ReleaseAnalysis(this, 'release', { values });
    if (scaleOut && values.database.inCluster.enabled) new InClusterPostgres(this, 'postgres', { values });
    new Exposure(this, 'exposure', { values });
    if (values.players.enabled) new Players(this, 'players', { values });
    if (inCluster) new Observability(this, 'observability', { values });
    if (inCluster) new Alertmanager(this, 'alertmanager', { values });
    if (inCluster) new Grafana(this, 'grafana', { values });
    else new ManagedAlertRules(this, 'alerts', { values });
    new NetworkPolicies(this, 'network', { values });
  }
}
