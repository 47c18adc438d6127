import { z } from 'zod';

export const MAX_SCORE = 1_000_000;
export const MAX_PLAYER_LENGTH = 32;
export const DEFAULT_PLAYER = 'Guest';
export const DEFAULT_LEADERBOARD_LIMIT = 10;
export const MAX_LEADERBOARD_LIMIT = 100;

// C0/C1 control characters, plus the bidirectional overrides and isolates that can make a name
// render as something else on the leaderboard (zero-width joiners stay: emoji sequences need them).
const CONTROL_CHARACTERS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

const player = z
  .string({ error: `must be a string of at most ${MAX_PLAYER_LENGTH} characters` })
  .refine((name) => !CONTROL_CHARACTERS.test(name), 'must not contain control characters')
  .refine((name) => name.isWellFormed(), 'must be valid Unicode text (no lone surrogates)')
  .transform((name) => name.trim())
  .refine((name) => [...name].length <= MAX_PLAYER_LENGTH, `must be at most ${MAX_PLAYER_LENGTH} characters`)
  .transform((name) => name || DEFAULT_PLAYER);

/** `POST /score`: `{ "player"?: string, "score": number }`. Unknown fields are ignored. */
export const scoreSubmissionSchema = z.object(
  {
    player: player.optional().transform((name) => name ?? DEFAULT_PLAYER),
    score: z
      .number({ error: `must be an integer from 0 to ${MAX_SCORE}` })
      .int(`must be an integer from 0 to ${MAX_SCORE}`)
      .min(0, `must be an integer from 0 to ${MAX_SCORE}`)
      .max(MAX_SCORE, `must be an integer from 0 to ${MAX_SCORE}`),
  },
  { error: 'must be a JSON object like {"player":"Ada","score":42}' },
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
