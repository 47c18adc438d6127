import { Construct } from 'constructs';
import * as k8s from 'cdk8s-plus-27/lib/imports/k8s.js';
import { formatHeaderSetting } from '../../src/http/header-setting.ts';
import { PLAYERS_CONTAINER_COMMAND, PLAYERS_METRICS_PORT } from '../../src/players/players.command.ts';
import { labelsOf, RESTRICTED_CONTAINER, restrictedPod, selectorLabels } from '../labels.ts';
import type { Values } from '../values.ts';
import { PLAYERS_METRICS_PORT_NAME, PLAYERS_NAME, PUBLIC_SERVICE } from './app-names.ts';
import { imageReference } from './app-workload.ts';
import { publicServicePort } from './traffic-routing.ts';
import { httpProbe, quantity } from './pod-parts.ts';

export { PLAYERS_NAME, PLAYERS_METRICS_PORT_NAME };

export interface PlayersProps {
  values: Values;
}

/** The in-cluster address the players play against: the public Service every exposure targets. */
export function playersTarget(values: Values): string {
  return `http://${PUBLIC_SERVICE}.${values.namespace}.svc.cluster.local:${publicServicePort(values)}`;
}

/** The players' container arguments: the same flags `npm run players` takes (src/players/players.command.ts). */
export function playersArgs(values: Values): string[] {
  const { count, arrivalRate, ramp, cohortHeader } = values.players;
  return [
    '--target', playersTarget(values),
    '--players', String(count),
    '--arrival-rate', String(arrivalRate),
    '--ramp', ramp,
    '--metrics-host', '0.0.0.0',
    '--metrics-port', String(PLAYERS_METRICS_PORT),
    ...(cohortHeader ? ['--header', formatHeaderSetting(cohortHeader)] : []),
  ];
}

/**
 * Synthetic players for the kind profiles: one Deployment running the app image's players command
 * against the public Service, PSS restricted, reaching nothing but that Service (see NetworkPolicies);
 * Prometheus scrapes their metrics as the `drafty-bird-players` job.
 */
export class Players extends Construct {
  constructor(scope: Construct, id: string, { values }: PlayersProps) {
    super(scope, id);
    const { namespace } = values;
    const labels = labelsOf({ name: PLAYERS_NAME, component: 'synthetic-players' });
    const [command, ...nodeArgs] = PLAYERS_CONTAINER_COMMAND;
    new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: PLAYERS_NAME, namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selectorLabels(PLAYERS_NAME) },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: restrictedPod(values.app.uid),
            // Players stop at once on SIGTERM; nothing of theirs needs draining.
            terminationGracePeriodSeconds: 10,
            containers: [
              {
                name: 'players',
                image: imageReference(values),
                imagePullPolicy: values.image.pullPolicy,
                command: [command],
                args: [...nodeArgs, ...playersArgs(values)],
                ports: [{ name: PLAYERS_METRICS_PORT_NAME, containerPort: PLAYERS_METRICS_PORT }],
                startupProbe: { ...httpProbe('/healthz', PLAYERS_METRICS_PORT_NAME), periodSeconds: 2, failureThreshold: 30 },
                livenessProbe: { ...httpProbe('/healthz', PLAYERS_METRICS_PORT_NAME), periodSeconds: 15, failureThreshold: 4 },
                readinessProbe: { ...httpProbe('/readyz', PLAYERS_METRICS_PORT_NAME), periodSeconds: 10, failureThreshold: 3 },
                resources: {
                  requests: { cpu: quantity('20m'), memory: quantity('64Mi') },
                  limits: { cpu: quantity('250m'), memory: quantity(values.players.memoryLimit) },
                },
                securityContext: RESTRICTED_CONTAINER,
              },
            ],
          },
        },
      },
    });
  }
}
