import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge, register } from 'prom-client';
import { METRIC } from '../metrics/metric-names.ts';
import type { BuildInfo } from './build-info.ts';
import { BUILD_INFO } from './build.tokens.ts';

/** The `*_build_info` convention: always 1, the build in its labels, joinable onto any series by instance. */
@Injectable()
export class BuildMetrics implements OnModuleInit {
  constructor(@Inject(BUILD_INFO) private readonly info: BuildInfo) {}

  onModuleInit(): void {
    new Gauge({
      name: METRIC.buildInfo,
      help: 'Always 1; labels say which build runs: version, commit, node_version.',
      labelNames: ['version', 'commit', 'node_version'],
      registers: [register],
    }).set({ version: this.info.version, commit: this.info.commit, node_version: this.info.node }, 1);
  }
}
