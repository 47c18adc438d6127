/**
 * Why a score was refused, and the status each reason answers: the `reason` of the error body and the
 * label of drafty_bird_score_rejections_total, so an operator sees an attack (or a broken client).
 */
export const SCORE_REJECTIONS = {
  /** No run in the body: the client did not call POST /game-start (or is not the game). */
  run_missing: 400,
  /** Not a token this service signed: malformed, forged, an unknown key or format. */
  run_invalid: 403,
  /** Signed here, but older than RUN_TTL_SECONDS. */
  run_expired: 403,
  /** More points than the run's time allows (see src/game/scoring.ts). */
  score_implausible: 422,
  /** The run already has a different score. The same score again is a retry, answered 201. */
  run_conflict: 409,
} as const;

export type ScoreRejectionReason = keyof typeof SCORE_REJECTIONS;
export const SCORE_REJECTION_REASONS = Object.keys(SCORE_REJECTIONS) as ScoreRejectionReason[];

export class ScoreRejectedError extends Error {
  readonly status: number;

  constructor(
    readonly reason: ScoreRejectionReason,
    message: string,
  ) {
    super(message);
    this.status = SCORE_REJECTIONS[reason];
  }
}
