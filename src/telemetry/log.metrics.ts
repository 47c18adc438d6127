import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Counter, register } from 'prom-client';
import { METRIC } from '../metrics/metric-names.ts';
import { droppedLogLines } from './logger.ts';

/**
 * Log lines the service dropped because nothing read its stdout (see LOG_OUTPUT in logger.ts): above
 * zero, the node's log driver is stuck and the logs of this pod are incomplete.
 */
@Injectable()
export class LogMetrics implements OnModuleInit {
  onModuleInit(): void {
    new Counter({
      name: METRIC.logLinesDropped,
      help: 'Log lines dropped because stdout was not being read (the pending output reached its bound).',
      registers: [register],
      collect() {
        this.reset();
        this.inc(droppedLogLines());
      },
    });
  }
}
