import { z } from 'zod';

/** Parsers from an environment variable's text to a typed value, shared by every config schema. */

export const integerText = (range: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, `must be an integer ${range}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be an integer ${range}`);

export const numberText = (message: string) =>
  z
    .string()
    .trim()
    .regex(/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, message)
    .transform(Number);

export const booleanText = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }))
  .transform((v) => v === 'true' || v === '1');

