/*
 * Grafana's provisioning files, from one source for the cluster and docker compose: the Prometheus and
 * Jaeger datasources and a file provider for the generated dashboards.
 */
export const GRAFANA_DASHBOARDS_DIR = '/var/lib/grafana/dashboards';

export function grafanaDatasources(urls: { prometheus: string; jaeger: string }) {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus',
        uid: 'prometheus',
        type: 'prometheus',
        access: 'proxy',
        url: urls.prometheus,
        isDefault: true,
        editable: false,
        // An exemplar's trace_id (the latency histogram carries them) opens that trace in Jaeger.
        jsonData: { exemplarTraceIdDestinations: [{ name: 'trace_id', datasourceUid: 'jaeger' }] },
      },
      { name: 'Jaeger', uid: 'jaeger', type: 'jaeger', access: 'proxy', url: urls.jaeger, editable: false },
    ],
  };
}

export function grafanaDashboardProvider() {
  return {
    apiVersion: 1,
    providers: [{ name: 'drafty-bird', folder: 'Drafty Bird', type: 'file', disableDeletion: true, allowUiUpdates: false, options: { path: GRAFANA_DASHBOARDS_DIR } }],
  };
}
