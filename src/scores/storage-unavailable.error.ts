/** The score database cannot be used right now; answered as 503 while it is being retried. */
export class StorageUnavailableError extends Error {
  readonly publicMessage = 'score storage is unavailable; try again shortly';
  /** Chaos made this commit fail on purpose (a game day's storage fault), not the database. */
  readonly injected: boolean;

  constructor(
    readonly reason: string,
    options: { injected?: boolean } = {},
  ) {
    super(`score storage unavailable: ${reason}`);
    this.name = 'StorageUnavailableError';
    this.injected = options.injected ?? false;
  }
}
