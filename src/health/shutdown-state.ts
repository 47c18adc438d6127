import { Injectable } from '@nestjs/common';

/** Set when SIGTERM/SIGINT arrives: readiness fails at once so traffic drains before the server stops. */
@Injectable()
export class ShutdownState {
  private since?: number;

  begin(): void {
    this.since ??= Date.now();
  }

  get shuttingDown(): boolean {
    return this.since !== undefined;
  }
}
