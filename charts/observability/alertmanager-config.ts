/*
 * alertmanager.yml, from one source for the cluster, docker compose and `npm run observe`: alerts
 * grouped per alert and SLO, routed by severity (page / ticket / info) to a receiver each, a page
 * silencing the ticket of the same burn, resolved notifications sent.
 */

export const SEVERITIES = ['page', 'ticket', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface AlertmanagerOptions {
  /** Where every severity's notifications go (Alertmanager's webhook JSON); empty: nowhere (the UI only). */
  webhookUrl: string;
  /** How long a new group waits for more alerts, how often it is re-notified of changes (resolves included), and of the same alerts. */
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}

export const ALERTMANAGER_DEFAULTS: AlertmanagerOptions = { webhookUrl: '', groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' };

export interface Receiver {
  name: string;
  webhook_configs?: Array<{ url: string; send_resolved: boolean }>;
}

export interface AlertmanagerConfig {
  route: {
    receiver: string;
    group_by: string[];
    group_wait: string;
    group_interval: string;
    repeat_interval: string;
    routes: Array<{ matchers: string[]; receiver: Severity }>;
  };
  receivers: Receiver[];
  inhibit_rules: Array<{ source_matchers: string[]; target_matchers: string[]; equal: string[] }>;
}

export function alertmanagerConfig(options: AlertmanagerOptions = ALERTMANAGER_DEFAULTS): AlertmanagerConfig {
  const webhook = options.webhookUrl ? { webhook_configs: [{ url: options.webhookUrl, send_resolved: true }] } : {};
  return {
    route: {
      // Anything without a known severity still reaches a person: the ticket receiver.
      receiver: 'ticket',
      group_by: ['alertname', 'slo'],
      group_wait: options.groupWait,
      group_interval: options.groupInterval,
      repeat_interval: options.repeatInterval,
      routes: SEVERITIES.map((severity) => ({ matchers: [`severity="${severity}"`], receiver: severity })),
    },
    receivers: SEVERITIES.map((name) => ({ name, ...webhook })),
    // A fast burn pages; the slow pairs of the same SLO would also ticket: one notification is enough.
    inhibit_rules: [{ source_matchers: ['severity="page"'], target_matchers: ['severity="ticket"'], equal: ['alertname', 'slo'] }],
  };
}
