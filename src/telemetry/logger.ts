import { trace } from '@opentelemetry/api';
import { type Logger, type DestinationStream, pino } from 'pino';
import type { LogLevel } from '../config/config.schema.ts';
import { sampledSpanContext } from './server-span.ts';

/**
 * How log lines reach stdout. One write per line cost a thread-pool round trip per request: blocks used
 * 15–18% less of the server's CPU at the runbook's 1,000 req/s (bench/RESULTS.md). Lines are written in
 * blocks of `minBytes` instead, and whatever is shorter goes out after at most `flushEveryMs`, so a quiet
 * server's lines still show up at once for `kubectl logs -f`. pino writes what is pending synchronously
 * when the process exits (a normal exit, an uncaught error, the shutdown's own exit); only a SIGKILL
 * (OOM kill) loses the last `flushEveryMs` of lines. A stalled reader (a log driver that stopped
 * reading the pipe) costs at most `maxBytes` of memory: lines beyond it are dropped, and counted.
 */
export const LOG_OUTPUT = { minBytes: 4096, flushEveryMs: 250, maxBytes: 16 * 1024 * 1024 } as const;

let droppedLines = 0;

/** Lines dropped since start because stdout was not being read (LOG_OUTPUT.maxBytes pending). */
export function droppedLogLines(): number {
  return droppedLines;
}

/** stdout (or `fd`) as the service writes its log lines: buffered and bounded, see LOG_OUTPUT. */
export function logOutput(fd = 1): ReturnType<typeof pino.destination> {
  const stream = pino.destination({ fd, sync: false, minLength: LOG_OUTPUT.minBytes, periodicFlush: LOG_OUTPUT.flushEveryMs, maxLength: LOG_OUTPUT.maxBytes });
  stream.on('drop', () => {
    droppedLines += 1;
  });
  return stream;
}

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
        const sampled = sampledSpanContext(trace.getActiveSpan());
        return sampled ? { trace_id: sampled.traceId, span_id: sampled.spanId } : {};
      },
    },
    destination ?? logOutput(),
  );
}
