import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { register, Registry } from 'prom-client';
import { openMetricsToText } from './text-exposition.ts';

const TEXT_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/**
 * /metrics by content negotiation: OpenMetrics — the only format that carries exemplars (trace ids on
 * the latency histogram) — for a scraper that asks for it, as Prometheus does; the Prometheus text
 * format, which `promtool check metrics` and older tools read, for everyone else: the same exposition
 * without what only OpenMetrics can say.
 */
@Controller()
export class MetricsController {
  @Get()
  async index(@Res({ passthrough: true }) reply: FastifyReply, @Headers('accept') accept = ''): Promise<string> {
    const openMetrics = await register.metrics();
    if (accept.includes('application/openmetrics-text')) {
      reply.header('content-type', register.contentType);
      return openMetrics;
    }
    reply.header('content-type', TEXT_CONTENT_TYPE);
    return openMetricsToText(openMetrics);
  }
}
