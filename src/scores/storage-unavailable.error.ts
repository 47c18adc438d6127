/** The score database cannot be used right now; answered as 503 while it is being retried. */
export class StorageUnavailableError extends Error {
  readonly publicMessage = 'score storage is unavailable; try again shortly';

  constructor(readonly reason: string) {
    super(`score storage unavailable: ${reason}`);
    this.name = 'StorageUnavailableError';
  }
}
