import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { context, type Span, trace } from '@opentelemetry/api';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Counter, Gauge } from 'prom-client';
import { APP_CONFIG } from '../config/config.module.ts';
import type { AppConfig } from '../config/config.schema.ts';
import { sendError } from '../http/error-response.ts';
import { METRIC } from '../metrics/metric-names.ts';
import { serverSpanOf } from '../telemetry/server-span.ts';
import { LOGGER } from '../telemetry/telemetry.module.ts';
import { ChaosPolicy, type StorageFault } from './chaos.policy.ts';
import { StorageUnavailableError } from '../scores/storage-unavailable.error.ts';
import { type ChaosSettings, type ChaosState, DEFAULT_CHAOS_SETTINGS } from './chaos.settings.ts';

/** The fault types, as `chaos.type` on spans and `type` on drafty_bird_chaos_injections_total. */
export const CHAOS_TYPES = ['error', 'latency', 'storage'] as const;
type ChaosType = (typeof CHAOS_TYPES)[number];

const tracer = trace.getTracer('drafty-bird');

/** Who changed chaos, as the audit log says it: a token's fingerprint, never the token. */
export type ChaosActor = { token: string } | 'expiry';

/**
 * The live chaos settings and their effect on requests; changed at run time through `PUT /chaos`,
 * time-boxed when asked (back to the configured baseline by itself), switched off by `DELETE /chaos`.
 */
@Injectable()
export class ChaosService implements OnModuleDestroy {
  private policy: ChaosPolicy;
  private readonly baseline: ChaosSettings;
  private expiresAt: number | null = null;
  private expiry?: NodeJS.Timeout;
  /** Storage faults decided when a request arrived, applied when (if) it commits a score. */
  private readonly storageFaults = new WeakMap<IncomingMessage, StorageFault>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @InjectMetric(METRIC.chaosInjections) private readonly injections: Counter<'type'>,
    @InjectMetric(METRIC.chaosEnabled) private readonly enabled: Gauge,
    @InjectMetric(METRIC.chaosChanges) private readonly changes: Counter,
    @InjectMetric(METRIC.chaosExpiry) private readonly expiryGauge: Gauge,
    @InjectMetric(METRIC.chaosExpirations) private readonly expirations: Counter,
  ) {
    // The baseline is the configuration: what a restart brings back, and what an expiry returns to.
    this.baseline = config.chaos;
    this.policy = new ChaosPolicy(config.chaos);
    this.enabled.set(config.chaos.enabled ? 1 : 0);
    this.expiryGauge.set(0);
    this.changes.inc(0);
    this.expirations.inc(0);
    // Both series exist from the start at 0, so rate() sees the very first injection as an increase
    // (a series born at 5 would show no rate until it moved again, and the chaos alert would miss it).
    for (const type of CHAOS_TYPES) this.injections.inc({ type }, 0);
  }

  get state(): ChaosState {
    return { ...this.policy.settings, expiresAt: this.expiresAt === null ? null : new Date(this.expiresAt).toISOString() };
  }

  /** New settings, until `expiresAt` (epoch ms) if given; audit-logged with who asked. */
  replace(settings: ChaosSettings, actor: ChaosActor, expiresAt: number | null = null): ChaosState {
    const previous = this.state;
    clearTimeout(this.expiry);
    this.policy = new ChaosPolicy(settings);
    this.expiresAt = expiresAt;
    if (expiresAt !== null) this.expiry = setTimeout(() => this.expire(), Math.max(0, expiresAt - Date.now())).unref();
    this.enabled.set(settings.enabled ? 1 : 0);
    this.expiryGauge.set(expiresAt === null ? 0 : expiresAt / 1000);
    this.changes.inc();
    this.logger.warn({ previous, current: this.state, actor: actorOf(actor) }, actor === 'expiry' ? 'chaos expired: back to the configured baseline' : 'chaos settings changed');
    return this.state;
  }

  /** The kill switch: no fault of any kind, whatever the baseline, until the next change. */
  stop(actor: ChaosActor): ChaosState {
    return this.replace({ ...DEFAULT_CHAOS_SETTINGS, enabled: false }, actor);
  }

  private expire(): void {
    this.expirations.inc();
    this.replace(this.baseline, 'expiry');
  }

  onModuleDestroy(): void {
    clearTimeout(this.expiry);
  }

  /** Whether the live settings target this request at all: the cheap check done on every request. */
  targets(request: FastifyRequest): boolean {
    return this.policy.targets(targetOf(request));
  }

  /**
   * Applies chaos to one request before its body is read: delays it, and/or answers it with the
   * configured fault. Returns true when the reply has been sent.
   */
  async intercept(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const decision = this.policy.decide(targetOf(request));
    if (decision.storage) this.storageFaults.set(request.raw, decision.storage);
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

  /**
   * Called on the write path just before a score is committed (inside the write's span): delays the
   * commit and/or fails it as decided when the request arrived. A failed commit stores nothing and is
   * answered 503 like a real storage failure, marked as injected.
   */
  async beforeCommit(request: FastifyRequest): Promise<void> {
    const fault = this.storageFaults.get(request.raw);
    if (!fault) return;
    const attributes = { 'chaos.storage_latency_ms': fault.latencyMs, 'chaos.storage_fails': fault.fails ? 1 : 0 };
    this.record(request, 'storage', attributes);
    await this.inSpan(request, 'storage', attributes, () => sleep(fault.latencyMs), context.active());
    if (fault.fails) throw new StorageUnavailableError('injected commit failure', { injected: true });
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
    parentContext = serverSpanContext(request),
  ): Promise<void> {
    const span: Span = tracer.startSpan('chaos.inject', { attributes: { 'chaos.type': type, ...attributes } }, parentContext);
    try {
      await work();
    } finally {
      span.end();
    }
  }
}

function targetOf(request: FastifyRequest) {
  return { route: request.routeOptions.url, method: request.method, headers: request.headers };
}

/** Chaos spans hang under the request's server span (hooks run outside any active span). */
function serverSpanContext(request: FastifyRequest) {
  const parent = serverSpanOf(request.raw);
  return parent ? trace.setSpan(context.active(), parent) : context.active();
}

/** `chaos.latency_ms` → `latency_ms` for log lines, which use flat snake_case keys. */
function renameKeys(attributes: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key.replace(/^chaos\./, ''), value]));
}

/** The audit log's "who": the first 12 hex digits of the token's SHA-256, enough to tell tokens apart. */
function actorOf(actor: ChaosActor): string {
  return actor === 'expiry' ? 'expiry' : `token:${createHash('sha256').update(actor.token).digest('hex').slice(0, 12)}`;
}
