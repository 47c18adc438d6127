import { z } from 'zod';
import { CHAOS_PROTECTED_ROUTES, DEFAULT_CHAOS_ROUTES } from '../surface.ts';
import { HTTP_HEADER_NAME } from '../http/header-setting.ts';


export const MAX_CHAOS_LATENCY_MS = 60_000;

const routePath = z
  .string()
  .regex(/^\/[A-Za-z0-9._~\-/]*$/, 'each route must be a path starting with "/"')
  .refine((route) => !CHAOS_PROTECTED_ROUTES.includes(route), {
    message: `routes may not include ${CHAOS_PROTECTED_ROUTES.join(', ')}`,
  });

/** Methods a game day may target; an empty list targets every method. */
export const CHAOS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** A header name as HTTP defines it (a token), compared lower-case like Node does. */
const headerName = z
  .string({ error: 'must be an HTTP header name' })
  .regex(HTTP_HEADER_NAME, 'must be an HTTP header name (letters, digits, "-", at most 64 characters)')
  .transform((name) => name.toLowerCase())
  .refine((name) => !['authorization', 'cookie', 'host'].includes(name), { message: 'may not be authorization, cookie or host' });

const rate = () => z.number({ error: 'must be a number from 0 to 1' }).min(0, 'must be a number from 0 to 1').max(1, 'must be a number from 0 to 1');

const latencyMs = z
  .number({ error: `must be an integer number of milliseconds from 0 to ${MAX_CHAOS_LATENCY_MS}` })
  .int(`must be an integer number of milliseconds from 0 to ${MAX_CHAOS_LATENCY_MS}`)
  .min(0, `must be an integer number of milliseconds from 0 to ${MAX_CHAOS_LATENCY_MS}`)
  .max(MAX_CHAOS_LATENCY_MS, `must be an integer number of milliseconds from 0 to ${MAX_CHAOS_LATENCY_MS}`);

/**
 * The fields of the chaos settings with their rules and defaults. Exported as a shape so the chart's
 * values (charts/values.ts) validate chaos with these very rules.
 */
export const chaosSettingsShape = {
    enabled: z.boolean({ error: 'must be true or false' }).default(false),
    errorRate: rate().default(0),
    errorStatus: z
      .number({ error: 'must be an integer from 500 to 599' })
      .int('must be an integer from 500 to 599')
      .min(500, 'must be an integer from 500 to 599')
      .max(599, 'must be an integer from 500 to 599')
      .default(503),
    latencyMsP50: latencyMs.default(0),
    latencyMsP99: latencyMs.default(0),
    routes: z
      .array(routePath, { error: 'must be a list of route paths' })
      .default([...DEFAULT_CHAOS_ROUTES]),
    /** Only these methods are targeted; empty (the default) targets every method. */
    methods: z
      .array(z.enum(CHAOS_METHODS, { error: `each method must be one of ${CHAOS_METHODS.join(', ')}` }), { error: 'must be a list of HTTP methods' })
      .default([]),
    /**
     * Only requests carrying this header with exactly this value are targeted (null, the default: every
     * request): a game day can fault one synthetic cohort and leave real players alone.
     */
    header: z
      .strictObject(
        { name: headerName, value: z.string({ error: 'must be text' }).min(1, 'must not be empty').max(256, 'must be at most 256 characters') },
        { error: 'must be {"name": …, "value": …} or null' },
      )
      .nullable()
      .default(null),
    /** Added before a targeted score write is committed (the event loop stays free meanwhile). */
    storageLatencyMs: latencyMs.default(0),
    /** Share of targeted score writes whose commit fails (answered 503, nothing stored). */
    storageFailureRate: rate().default(0),
    seed: z
      .number({ error: 'must be an integer or null' })
      .int('must be an integer or null')
      .nullable()
      .default(null),
};

/** P50 above P99 is not a distribution: refused, never clamped. */
export const latencyInOrder = (settings: { latencyMsP50: number; latencyMsP99: number }) => settings.latencyMsP50 <= settings.latencyMsP99;
export const LATENCY_ORDER_ISSUE = { path: ['latencyMsP99'], message: 'must be greater than or equal to latencyMsP50' };

/**
 * The live chaos settings, one shape for the CHAOS_* variables at start and for `PUT /chaos` at run
 * time, so both are validated by the same rules and answer with the same messages.
 */
export const chaosSettingsSchema = z.strictObject(chaosSettingsShape).refine(latencyInOrder, LATENCY_ORDER_ISSUE);

export type ChaosSettings = z.output<typeof chaosSettingsSchema>;

export const DEFAULT_CHAOS_SETTINGS: ChaosSettings = chaosSettingsSchema.parse({});

/** The longest a time-boxed experiment may run: a game day, not a standing configuration. */
export const MAX_CHAOS_DURATION_SECONDS = 86_400;

/**
 * `PUT /chaos`: the settings, optionally time-boxed — `durationSeconds`, or `expiresAt` (an ISO time
 * within the next 24 hours). When it elapses the service returns to its configured baseline by itself.
 */
export const chaosChangeSchema = z
  .strictObject({
    ...chaosSettingsShape,
    durationSeconds: z
      .number({ error: `must be an integer number of seconds from 1 to ${MAX_CHAOS_DURATION_SECONDS}` })
      .int(`must be an integer number of seconds from 1 to ${MAX_CHAOS_DURATION_SECONDS}`)
      .min(1, `must be an integer number of seconds from 1 to ${MAX_CHAOS_DURATION_SECONDS}`)
      .max(MAX_CHAOS_DURATION_SECONDS, `must be an integer number of seconds from 1 to ${MAX_CHAOS_DURATION_SECONDS}`)
      .optional(),
    expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time such as 2026-12-03T10:00:00Z' }).optional(),
  })
  .refine(latencyInOrder, LATENCY_ORDER_ISSUE)
  .refine((change) => change.durationSeconds === undefined || change.expiresAt === undefined, { path: ['expiresAt'], message: 'give durationSeconds or expiresAt, not both' })
  .refine((change) => change.expiresAt === undefined || inWindow(Date.parse(change.expiresAt) - Date.now()), {
    path: ['expiresAt'],
    message: 'must be in the future and at most 24 hours away',
  });

const inWindow = (ms: number) => ms > 0 && ms <= MAX_CHAOS_DURATION_SECONDS * 1000;

export type ChaosChange = z.output<typeof chaosChangeSchema>;

/** What GET, PUT and DELETE /chaos answer: the live settings and when they lapse (null: until changed). */
export type ChaosState = ChaosSettings & { expiresAt: string | null };
