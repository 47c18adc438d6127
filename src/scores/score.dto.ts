import { z } from 'zod';
import { checkPlayerName, DEFAULT_PLAYER, MAX_PLAYER_LENGTH } from '../game/player-name.ts';

export const MAX_SCORE = 1_000_000;
export const DEFAULT_LEADERBOARD_LIMIT = 10;
export const MAX_LEADERBOARD_LIMIT = 100;

/** The shared name rule (NFC, no control or invisible characters, 32 code points); errors name the field. */
const player = z.string({ error: `must be a string of at most ${MAX_PLAYER_LENGTH} characters` }).transform((raw, ctx) => {
  const checked = checkPlayerName(raw);
  if (checked.ok) return checked.name;
  ctx.addIssue({ code: 'custom', message: checked.problem });
  return z.NEVER;
});

/**
 * `POST /score`: `{ "run": string, "player"?: string, "score": number }`. Unknown fields are ignored.
 * A missing run is not a validation error here: the service refuses it with its own reason and count.
 */
export const scoreSubmissionSchema = z.object(
  {
    run: z.string({ error: 'must be the run token from POST /game-start' }).optional(),
    player: player.optional().transform((name) => name ?? DEFAULT_PLAYER),
    score: z
      .number({ error: `must be an integer from 0 to ${MAX_SCORE}` })
      .int(`must be an integer from 0 to ${MAX_SCORE}`)
      .min(0, `must be an integer from 0 to ${MAX_SCORE}`)
      .max(MAX_SCORE, `must be an integer from 0 to ${MAX_SCORE}`),
  },
  { error: 'must be a JSON object like {"run":"<token from POST /game-start>","player":"Ada","score":42}' },
);

export type ScoreSubmission = z.output<typeof scoreSubmissionSchema>;

/** `GET /leaderboard?limit=`: digits only, 1..100; repeated or empty values are rejected. */
export const leaderboardLimitSchema = z
  .string({ error: `must be a single integer from 1 to ${MAX_LEADERBOARD_LIMIT}` })
  .regex(/^\d{1,3}$/, `must be an integer from 1 to ${MAX_LEADERBOARD_LIMIT}`)
  .transform(Number)
  .refine((n) => n >= 1 && n <= MAX_LEADERBOARD_LIMIT, `must be an integer from 1 to ${MAX_LEADERBOARD_LIMIT}`)
  .optional()
  .transform((n) => n ?? DEFAULT_LEADERBOARD_LIMIT);
