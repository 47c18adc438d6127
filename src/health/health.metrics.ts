import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge, register } from 'prom-client';
import { METRIC } from '../metrics/metric-names.ts';
import { ScoresDatabase } from '../scores/scores.database.ts';
import { ShutdownState } from './shutdown-state.ts';

/**
 * Readiness as metrics, read at scrape time without a query: whether this replica serves traffic
 * (`drafty_bird_ready`) and whether its storage is usable (`drafty_bird_storage_up{engine}`). The
 * "fewer ready replicas than the minimum" and "database unreachable" alerts count these.
 */
@Injectable()
export class HealthMetrics implements OnModuleInit {
  constructor(
    private readonly database: ScoresDatabase,
    private readonly shutdown: ShutdownState,
  ) {}

  onModuleInit(): void {
    const { database, shutdown } = this;
    new Gauge({
      name: METRIC.ready,
      help: '1 while this replica is ready for traffic (storage usable, not shutting down), else 0.',
      registers: [register],
      collect() {
        this.set(!shutdown.shuttingDown && database.available() ? 1 : 0);
      },
    });
    new Gauge({
      name: METRIC.storageUp,
      help: '1 while the score storage (SQLite file or PostgreSQL server) is usable from this replica, else 0.',
      labelNames: ['engine'],
      registers: [register],
      collect() {
        this.set({ engine: database.engine }, database.available() ? 1 : 0);
      },
    });
  }
}
