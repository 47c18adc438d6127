import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { context, type Span, trace } from '@opentelemetry/api';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Counter, Gauge } from 'prom-client';
import { APP_CONFIG } from '../config/config.module.ts';
import type { AppConfig } from '../config/config.schema.ts';
import { sendError } from '../http/error-response.ts';
import { METRIC } from '../metrics/metric-names.ts';
import { serverSpanOf } from '../telemetry/server-span.ts';
import { LOGGER } from '../telemetry/telemetry.module.ts';
import { ChaosPolicy } from './chaos.policy.ts';
import type { ChaosSettings } from './chaos.settings.ts';

type ChaosType = 'error' | 'latency';

const tracer = trace.getTracer('drafty-bird');

/** The live chaos settings and their effect on requests; changed at run time through `PUT /chaos`. */
@Injectable()
export class ChaosService {
  private policy: ChaosPolicy;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @InjectMetric(METRIC.chaosInjections) private readonly injections: Counter<'type'>,
    @InjectMetric(METRIC.chaosEnabled) private readonly enabled: Gauge,
    @InjectMetric(METRIC.chaosChanges) private readonly changes: Counter,
  ) {
    this.policy = new ChaosPolicy(config.chaos);
    this.enabled.set(config.chaos.enabled ? 1 : 0);
    this.changes.inc(0);
    // Both series exist from the start at 0, so rate() sees the very first injection as an increase
    // (a series born at 5 would show no rate until it moved again, and the chaos alert would miss it).
    for (const type of ['error', 'latency'] as const) this.injections.inc({ type }, 0);
  }

  get settings(): ChaosSettings {
    return this.policy.settings;
  }

  replace(settings: ChaosSettings): ChaosSettings {
    const previous = this.policy.settings;
    this.policy = new ChaosPolicy(settings);
    this.enabled.set(settings.enabled ? 1 : 0);
    this.changes.inc();
    this.logger.warn({ previous, current: settings }, 'chaos settings changed');
    return settings;
  }

  /** Whether the live settings target this route at all: the cheap check done on every request. */
  targets(route: string | undefined): boolean {
    return this.policy.targets(route);
  }

  /**
   * Applies chaos to one request before its body is read: delays it, and/or answers it with the
   * configured fault. Returns true when the reply has been sent.
   */
  async intercept(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const decision = this.policy.decide(request.routeOptions.url);
    if (decision.latencyMs > 0) {
      this.record(request, 'latency', { 'chaos.latency_ms': decision.latencyMs });
      await this.inSpan(request, 'latency', { 'chaos.latency_ms': decision.latencyMs }, () => sleep(decision.latencyMs));
    }
    if (decision.errorStatus === undefined) return false;
    this.record(request, 'error', { 'chaos.error_status': decision.errorStatus });
    await this.inSpan(request, 'error', { 'chaos.error_status': decision.errorStatus }, async () => undefined);
    sendError(reply, decision.errorStatus, 'injected fault', { chaos: true });
    return true;
  }

  private record(request: FastifyRequest, type: ChaosType, attributes: Record<string, number>): void {
    this.injections.inc({ type });
    serverSpanOf(request.raw)?.setAttributes({ 'chaos.injected': true, 'chaos.type': type, ...attributes });
    request.log.warn({ chaos_type: type, ...renameKeys(attributes) }, `chaos injected ${type}`);
  }

  private async inSpan(
    request: FastifyRequest,
    type: ChaosType,
    attributes: Record<string, number>,
    work: () => Promise<unknown>,
  ): Promise<void> {
    const parent = serverSpanOf(request.raw);
    const parentContext = parent ? trace.setSpan(context.active(), parent) : context.active();
    const span: Span = tracer.startSpan('chaos.inject', { attributes: { 'chaos.type': type, ...attributes } }, parentContext);
    try {
      await work();
    } finally {
      span.end();
    }
  }
}

/** `chaos.latency_ms` → `latency_ms` for log lines, which use flat snake_case keys. */
function renameKeys(attributes: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key.replace(/^chaos\./, ''), value]));
}
