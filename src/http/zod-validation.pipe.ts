import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

/** One message naming every offending field, e.g. `score must be an integer from 0 to 1000000`. */
export function describeZodError(error: z.ZodError, subject = 'body'): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : subject} ${issue.message}`)
    .join('; ');
}

/** Validates (and normalises) a request part with a zod schema; failures are 400s naming the field. */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(
    private readonly schema: S,
    private readonly subject = 'body',
  ) {}

  transform(value: unknown): z.output<S> {
    const result = this.schema.safeParse(value);
    if (!result.success) throw new BadRequestException(describeZodError(result.error, this.subject));
    return result.data;
  }
}
