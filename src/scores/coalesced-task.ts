/**
 * Runs an async task on request, never two at once: requests while it runs make it run exactly once
 * more afterwards (what changed during the run is seen by the next one). Failures are the task's to
 * report; they do not stop later requests.
 */
export class CoalescedTask {
  private running = false;
  private again = false;

  constructor(private readonly task: () => Promise<unknown>) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.task().catch(() => undefined);
    } while (this.again);
    this.running = false;
  }
}
