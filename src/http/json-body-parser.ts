import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { BODY_LIMIT_BYTES } from './fastify-errors.ts';

/** A 400 raised while reading a body; the filter answers it with its message. */
export class BodyParseError extends Error {
  readonly statusCode = 400;
}

/**
 * The only body parser: JSON (any `application/json` variant), at most 16 KiB, and refusing
 * `__proto__` / `constructor.prototype` keys anywhere in the document. Every other content type has no
 * parser, so Fastify answers it with 415 before any byte is buffered.
 */
export function useJsonBodiesOnly(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    /^application\/([\w.+-]+\+)?json(\s*;.*)?$/i,
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (_request, body, done) => {
      const text = body as string;
      if (text.trim() === '') {
        done(new BodyParseError('request body is empty; send a JSON object'));
        return;
      }
      let parsed: unknown;
      try {
        parsed = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
      } catch (error) {
        const poisoned = /prototype/.test((error as Error).message);
        done(
          new BodyParseError(
            poisoned
              ? 'request body must not contain __proto__ or constructor.prototype keys'
              : `request body is not valid JSON: ${(error as Error).message}`,
          ),
        );
        return;
      }
      done(null, parsed);
    },
  );
}
