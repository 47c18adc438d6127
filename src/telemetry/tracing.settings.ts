import { z } from 'zod';
import { booleanText, numberText } from '../config/env-text.ts';

/**
 * Tracing as the standard OTEL_* variables configure it, parsed with the rest of the configuration
 * (pure data: the SDK is only loaded by `tracing.ts` when tracing is on). Only what this service
 * supports is accepted; a typo such as `OTEL_TRACES_SAMPLER=traceidraito` stops the start-up instead
 * of silently tracing every request.
 */

export const TRACE_EXPORTERS = ['otlp', 'console', 'none'] as const;
export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

export interface TracingSettings {
  exporter: 'otlp' | 'console';
  sampler: TraceSampler;
  /** The share of root traces kept by the `…traceidratio` samplers. */
  ratio: number;
  /** OTEL_SERVICE_NAME: wins over a service.name in OTEL_RESOURCE_ATTRIBUTES, as the specification says. */
  serviceName: string | undefined;
}

const lowerCase = <const T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.string().trim().toLowerCase().pipe(z.enum(values, { error: message }));

export const tracingEnvSchema = z.object({
  OTEL_SDK_DISABLED: booleanText.optional(),
  OTEL_TRACES_EXPORTER: lowerCase(TRACE_EXPORTERS, `must be one of ${TRACE_EXPORTERS.join(', ')}`).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().optional(),
  OTEL_TRACES_SAMPLER: lowerCase(TRACE_SAMPLERS, `must be one of ${TRACE_SAMPLERS.join(', ')}`).optional(),
  OTEL_TRACES_SAMPLER_ARG: numberText('must be a ratio from 0 to 1')
    .refine((ratio) => ratio >= 0 && ratio <= 1, 'must be a ratio from 0 to 1')
    .optional(),
  OTEL_SERVICE_NAME: z.string().trim().optional(),
});

/**
 * Traces go over OTLP/HTTP when an endpoint is set, or to stdout with OTEL_TRACES_EXPORTER=console;
 * otherwise (or with OTEL_SDK_DISABLED=true, OTEL_TRACES_EXPORTER=none) tracing is off: undefined.
 */
export function tracingFrom(vars: z.output<typeof tracingEnvSchema>): TracingSettings | undefined {
  if (vars.OTEL_SDK_DISABLED || vars.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const exporter = vars.OTEL_TRACES_EXPORTER ?? (vars.OTEL_EXPORTER_OTLP_ENDPOINT || vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : undefined);
  if (!exporter) return undefined;
  return {
    exporter,
    sampler: vars.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on',
    ratio: vars.OTEL_TRACES_SAMPLER_ARG ?? 1,
    serviceName: vars.OTEL_SERVICE_NAME || undefined,
  };
}
