import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';
import { labelsOf, selectorLabels } from '../labels.ts';
import type { Values } from '../values.ts';
import { ALERTMANAGER_NAME, ALERTMANAGER_PORT } from './alertmanager.ts';
import { APP_NAME, HTTP_PORT, PUBLIC_PORT } from './app-workload.ts';
import { POSTGRES_NAME, POSTGRES_PORT } from './in-cluster-postgres.ts';
import { JAEGER_NAME, JAEGER_UI_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT, PROMETHEUS_NAME, PROMETHEUS_PORT } from './observability.ts';
import { GRAFANA_NAME } from './grafana.ts';
import { PLAYERS_NAME } from './app-names.ts';
import { PLAYERS_METRICS_PORT } from '../../src/players/players.command.ts';

export interface NetworkPoliciesProps {
  values: Values;
}

const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
const namespaceNamed = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

/**
 * Least-privilege networking, mirroring the runbooks' security groups: nothing in or out of the
 * namespace unless a policy below allows it. The app takes its public port from the exposure path
 * and :8080 (metrics, probes) from Prometheus only; it may call DNS, the trace collector and, in
 * PostgreSQL mode, the database — nothing else. Prometheus, Jaeger and the in-cluster PostgreSQL get
 * exactly what they need.
 */
export class NetworkPolicies extends Construct {
  private readonly values: Values;

  constructor(scope: Construct, id: string, { values }: NetworkPoliciesProps) {
    super(scope, id);
    this.values = values;
    this.policy('default-deny', {}, { policyTypes: ['Ingress', 'Egress'] });
    this.appPolicy();
    if (values.observability.inCluster) {
      this.prometheusPolicy();
      this.jaegerPolicy();
      this.alertmanagerPolicy();
      this.grafanaPolicy();
    }
    if (values.players.enabled) this.playersPolicy();
    if (values.database.engine === 'postgres' && values.database.inCluster.enabled) this.postgresPolicy();
  }

  private policy(name: string, podSelector: k8s.LabelSelector, spec: Omit<k8s.NetworkPolicySpec, 'podSelector'>): void {
    new k8s.KubeNetworkPolicy(this, name, {
      metadata: { name, namespace: this.values.namespace, labels: labelsOf({ name: APP_NAME, component: 'network-policy' }) },
      spec: { podSelector, ...spec },
    });
  }

  private get dns(): k8s.NetworkPolicyEgressRule {
    return {
      to: [{ namespaceSelector: namespaceNamed('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [
        { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
        { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
      ],
    };
  }

  private exposureSources(): k8s.NetworkPolicyPeer[] {
    const { sourceCidrs, controllerNamespace } = this.values.exposure;
    return [
      ...sourceCidrs.map((cidr) => ({ ipBlock: { cidr } })),
      ...(controllerNamespace ? [{ namespaceSelector: namespaceNamed(controllerNamespace) }] : []),
    ];
  }

  /** Who may scrape :8080: the in-namespace Prometheus, a managed agent's pods, or a collector's subnets. */
  private scrapers(): k8s.NetworkPolicyPeer[] {
    const { inCluster, scraper } = this.values.observability;
    if (inCluster) return [{ podSelector: { matchLabels: selectorLabels(PROMETHEUS_NAME) } }];
    if (scraper.cidrs.length) return scraper.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
    return [{ namespaceSelector: namespaceNamed(scraper.namespace), podSelector: { matchLabels: scraper.podLabels } }];
  }

  private collector(): k8s.NetworkPolicyEgressRule {
    const { inCluster, collector } = this.values.observability;
    if (inCluster) return { to: [{ podSelector: { matchLabels: selectorLabels(JAEGER_NAME) } }], ports: [tcp(OTLP_HTTP_PORT)] };
    return {
      to: [{ namespaceSelector: namespaceNamed(collector.namespace), podSelector: { matchLabels: collector.podLabels } }],
      ports: [tcp(collector.port)],
    };
  }

  private appPolicy(): void {
    this.policy(APP_NAME, { matchLabels: selectorLabels(APP_NAME) }, {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        // An empty `from` would mean "from anywhere": without sources there is no exposure rule at all.
        ...(this.exposureSources().length ? [{ from: this.exposureSources(), ports: [tcp(PUBLIC_PORT)] }] : []),
        { from: this.scrapers(), ports: [tcp(HTTP_PORT)] },
        ...(this.values.players.enabled ? [{ from: [{ podSelector: { matchLabels: selectorLabels(PLAYERS_NAME) } }], ports: [tcp(PUBLIC_PORT)] }] : []),
      ],
      egress: [this.dns, this.collector(), ...this.database()],
    });
  }

  /** PostgreSQL mode: the in-namespace server's pods, or the managed server's address range. */
  private database(): k8s.NetworkPolicyEgressRule[] {
    const { engine, inCluster, cidrs, port } = this.values.database;
    if (engine !== 'postgres') return [];
    if (inCluster.enabled) return [{ to: [{ podSelector: { matchLabels: selectorLabels(POSTGRES_NAME) } }], ports: [tcp(POSTGRES_PORT)] }];
    return [{ to: cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [tcp(port)] }];
  }

  private postgresPolicy(): void {
    this.policy(POSTGRES_NAME, { matchLabels: selectorLabels(POSTGRES_NAME) }, {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: selectorLabels(APP_NAME) } }], ports: [tcp(POSTGRES_PORT)] }],
      egress: [],
    });
  }

  private prometheusPolicy(): void {
    this.policy(PROMETHEUS_NAME, { matchLabels: selectorLabels(PROMETHEUS_NAME) }, {
      policyTypes: ['Ingress', 'Egress'],
      // The UI is reached with kubectl port-forward, which NetworkPolicy does not see. Grafana reads it; in
      // PostgreSQL mode the Argo Rollouts controller queries it for the release gates; nothing else.
      ingress: [
        { from: [{ podSelector: { matchLabels: selectorLabels(GRAFANA_NAME) } }], ports: [tcp(PROMETHEUS_PORT)] },
        ...(this.values.database.engine === 'postgres' ? [{ from: [{ namespaceSelector: namespaceNamed(this.values.release.controllerNamespace) }], ports: [tcp(PROMETHEUS_PORT)] }] : []),
      ],
      egress: [
        this.dns,
        { to: [{ podSelector: { matchLabels: selectorLabels(APP_NAME) } }], ports: [tcp(HTTP_PORT)] },
        { to: [{ podSelector: { matchLabels: selectorLabels(ALERTMANAGER_NAME) } }], ports: [tcp(ALERTMANAGER_PORT)] },
        ...(this.values.players.enabled ? [{ to: [{ podSelector: { matchLabels: selectorLabels(PLAYERS_NAME) } }], ports: [tcp(PLAYERS_METRICS_PORT)] }] : []),
        // Pod discovery needs the API server; its address differs per cluster.
        {
          to: this.values.observability.prometheus.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [tcp(443), tcp(6443)],
        },
      ],
    });
  }

  /**
   * Alerts come from Prometheus only; notifications leave for the configured webhook, wherever it is
   * (its address is a URL, not a CIDR): DNS plus HTTP(S), and nothing at all without a webhook.
   */
  private alertmanagerPolicy(): void {
    const delivers = this.values.observability.alertmanager.webhookUrl !== '';
    this.policy(ALERTMANAGER_NAME, { matchLabels: selectorLabels(ALERTMANAGER_NAME) }, {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: selectorLabels(PROMETHEUS_NAME) } }], ports: [tcp(ALERTMANAGER_PORT)] }],
      egress: delivers ? [this.dns, { ports: [tcp(443), tcp(80)] }] : [],
    });
  }

  /** Grafana reads Prometheus and Jaeger; people reach it with kubectl port-forward (NetworkPolicy does not see that). */
  private grafanaPolicy(): void {
    this.policy(GRAFANA_NAME, { matchLabels: selectorLabels(GRAFANA_NAME) }, {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [
        this.dns,
        { to: [{ podSelector: { matchLabels: selectorLabels(PROMETHEUS_NAME) } }], ports: [tcp(PROMETHEUS_PORT)] },
        { to: [{ podSelector: { matchLabels: selectorLabels(JAEGER_NAME) } }], ports: [tcp(JAEGER_UI_PORT)] },
      ],
    });
  }

  /**
   * Players play against the public port of the app's pods (the Service's endpoints; NetworkPolicy sees
   * pod addresses after the Service) and nothing else; only Prometheus scrapes them.
   */
  private playersPolicy(): void {
    const scrapedBy = this.values.observability.inCluster ? [{ from: [{ podSelector: { matchLabels: selectorLabels(PROMETHEUS_NAME) } }], ports: [tcp(PLAYERS_METRICS_PORT)] }] : [];
    this.policy(PLAYERS_NAME, { matchLabels: selectorLabels(PLAYERS_NAME) }, {
      policyTypes: ['Ingress', 'Egress'],
      ingress: scrapedBy,
      egress: [this.dns, { to: [{ podSelector: { matchLabels: selectorLabels(APP_NAME) } }], ports: [tcp(PUBLIC_PORT)] }],
    });
  }

  private jaegerPolicy(): void {
    this.policy(JAEGER_NAME, { matchLabels: selectorLabels(JAEGER_NAME) }, {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: selectorLabels(APP_NAME) } }], ports: [tcp(OTLP_HTTP_PORT), tcp(OTLP_GRPC_PORT)] },
        { from: [{ podSelector: { matchLabels: selectorLabels(GRAFANA_NAME) } }], ports: [tcp(JAEGER_UI_PORT)] },
      ],
      // In-memory storage: Jaeger needs no egress at all.
      egress: [],
    });
  }
}
