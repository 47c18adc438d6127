import { DASHBOARD_UID, overviewDashboard } from './observability/dashboards.ts';

/** dashboards/ and Grafana's dashboards ConfigMap: the Grafana dashboards as plain JSON. */
export function dashboardFiles(): Record<string, string> {
  return { [`${DASHBOARD_UID}.json`]: `${JSON.stringify(overviewDashboard(), null, 2)}\n` };
}
