import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { type PrometheusContentType, register, Registry } from 'prom-client';

/**
 * /metrics by content negotiation: OpenMetrics — the only format that carries exemplars (trace ids on
 * the latency histogram) — for a scraper that asks for it, as Prometheus does; the Prometheus text
 * format, which `promtool check metrics` and older tools read, for everyone else. Both show the same
 * metric objects.
 */
@Controller()
export class MetricsController {
  private text?: Registry<PrometheusContentType>;

  @Get()
  async index(@Res({ passthrough: true }) reply: FastifyReply, @Headers('accept') accept = ''): Promise<string> {
    const registry = accept.includes('application/openmetrics-text') ? register : this.textRegistry();
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  }

  /** The same metrics in the text format, built at the first such scrape, once every metric is registered. */
  private textRegistry(): Registry<PrometheusContentType> {
    if (!this.text) {
      const merged = Registry.merge([register]) as unknown as Registry<PrometheusContentType>;
      merged.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);
      this.text = merged;
    }
    return this.text;
  }
}
