import { Injectable } from '@nestjs/common';

/** Set when SIGTERM/SIGINT arrives: readiness fails at once so traffic drains before the server stops. */
@Injectable()
export class ShutdownState {
  private begun = false;

  begin(): void {
    this.begun = true;
  }

  get shuttingDown(): boolean {
    return this.begun;
  }
}
