/**
 * What the API answers, as zod schemas: the OpenAPI document's responses (openapi.document.ts) and
 * what the contract suite checks real answers against. Requests are the validators' own schemas
 * (src/scores/score.dto.ts, src/chaos/chaos.settings.ts).
 */
import { z } from 'zod';
import { chaosSettingsShape } from '../chaos/chaos.settings.ts';
import { SCORE_REJECTION_REASONS } from '../scores/score-rejection.ts';

const isoTime = z.string().meta({ format: 'date-time' });

export const errorBodySchema = z
  .object({
    error: z.string().meta({ description: 'What went wrong, for a person: it names the field or the limit.' }),
    request_id: z.string().meta({ description: 'The x-request-id of the request: in every log line and on its span.' }),
    chaos: z.literal(true).optional().meta({ description: 'Present on faults injected by chaos.' }),
    reason: z.enum(SCORE_REJECTION_REASONS).optional().meta({ description: 'Why a score was refused (POST /score).' }),
  })
  .strict()
  .meta({ id: 'Error' });

export const scoreEntrySchema = z.object({ player: z.string(), score: z.number().int().min(0), createdAt: isoTime }).strict().meta({ id: 'ScoreEntry' });

export const storedScoreSchema = z.object({ stored: scoreEntrySchema, highScore: z.number().int().min(0) }).strict().meta({ id: 'StoredScore' });

export const leaderboardSchema = z.object({ leaderboard: z.array(scoreEntrySchema).max(100) }).strict().meta({ id: 'Leaderboard' });

export const runSchema = z
  .object({
    accepted: z.literal(true),
    run: z.object({ id: z.string(), token: z.string(), startedAt: isoTime, expiresAt: isoTime }).strict(),
  })
  .strict()
  .meta({ id: 'Run' });

export const livenessSchema = z.object({ status: z.literal('ok') }).strict().meta({ id: 'Liveness' });

export const readinessSchema = z
  .union([z.object({ status: z.literal('ready'), storage: z.enum(['sqlite', 'postgres']) }).strict(), z.object({ status: z.literal('not_ready'), reason: z.string() }).strict()])
  .meta({ id: 'Readiness' });

export const versionSchema = z.object({ version: z.string(), commit: z.string(), builtAt: z.string(), node: z.string() }).strict().meta({ id: 'Version' });

export const chaosStateSchema = z
  .strictObject({ ...chaosSettingsShape, expiresAt: isoTime.nullable().meta({ description: 'When time-boxed settings lapse back to the configured baseline; null: until changed.' }) })
  .meta({ id: 'ChaosState' });
