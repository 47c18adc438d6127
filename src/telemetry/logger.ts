import { trace, TraceFlags } from '@opentelemetry/api';
import { type Logger, type DestinationStream, pino } from 'pino';
import type { LogLevel } from '../config/config.schema.ts';

/**
 * The one pino logger of the process: JSON lines on stdout with level names, ISO time, and the
 * trace_id/span_id of whatever span is active when a line is written — when that span is sampled, so a
 * log line's trace id always leads to a trace that was exported (as an exemplar's does).
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const context = trace.getActiveSpan()?.spanContext();
        return context && context.traceFlags & TraceFlags.SAMPLED ? { trace_id: context.traceId, span_id: context.spanId } : {};
      },
    },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
