import type { FastifyError } from 'fastify';

/** Bodies above this are refused with 413 before they are read into memory. */
export const BODY_LIMIT_BYTES = 16 * 1024;

export interface ClientFacingError {
  status: number;
  message: string;
}

/**
 * Errors Fastify raises before a request reaches Nest (body parsing, size, media type, rate limit),
 * turned into the API's status and a reason a client can act on. Anything else is a real fault.
 */
export function describeFastifyError(error: FastifyError): ClientFacingError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: `request body is larger than ${BODY_LIMIT_BYTES} bytes` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, message: 'content type must be application/json' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, message: 'content-length does not match the body' };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return { status, message: error.message };
  }
  return { status: 500, message: 'internal error; the request id identifies it in the logs' };
}
