import { parse, stringify } from 'yaml';
import { ALERTMANAGER_NAME } from '../../charts/constructs/alertmanager.ts';
import type { AlertmanagerConfig } from '../../charts/observability/alertmanager-config.ts';
import type { Manifest } from '../../charts/synth.ts';
import { ManifestTool } from './manifest-tool.ts';

/** Debian's package name for the alertmanager binary. */
export const ALERTMANAGER_BINARY = 'prometheus-alertmanager';

/**
 * Debian's Alertmanager run as the chart's container runs (see ManifestTool). Only the receivers'
 * destination differs — every receiver delivers to `webhookUrl` (the test's receiver stands in for the
 * site's webhook). The routing tree, grouping and inhibition are the chart's.
 */
export class ManifestAlertmanager {
  private readonly tool: ManifestTool;
  url?: string;

  constructor(manifests: readonly Manifest[]) {
    this.tool = new ManifestTool(manifests, { deployment: ALERTMANAGER_NAME, container: 'alertmanager', binary: ALERTMANAGER_BINARY });
  }

  /** Returns its host:port, as Prometheus addresses it. */
  async start(webhookUrl: string): Promise<string> {
    this.url = await this.tool.start((_file, content) => {
      const config = parse(content) as AlertmanagerConfig;
      config.receivers = config.receivers.map((receiver) => ({ name: receiver.name, webhook_configs: [{ url: webhookUrl, send_resolved: true }] }));
      return stringify(config);
    });
    return new URL(this.url).host;
  }

  stop(): Promise<void> {
    return this.tool.stop();
  }
}
