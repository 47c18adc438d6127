import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, NotFoundException } from '@nestjs/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ScoreRejectedError } from '../scores/score-rejection.ts';
import { StorageUnavailableError } from '../scores/storage-unavailable.error.ts';
import { clip, sendError } from './error-response.ts';
import { describeFastifyError } from './fastify-errors.ts';
import { pathOf } from './url-path.ts';

/** Every exception that leaves a Nest handler becomes the API's JSON error body. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();

    if (exception instanceof ScoreRejectedError) {
      sendError(reply, exception.status, exception.message, { reason: exception.reason });
      return;
    }
    if (exception instanceof StorageUnavailableError) {
      sendError(reply, 503, exception.publicMessage, exception.injected ? { chaos: true } : undefined);
      return;
    }
    if (exception instanceof NotFoundException && !request.routeOptions?.url) {
      sendError(reply, 404, `no route for ${request.method} ${clip(pathOf(request.url) ?? '/')}`);
      return;
    }
    const raised = exception instanceof HttpException ? exception.cause : exception;
    if (isFastifyError(raised)) {
      const { status, message } = describeFastifyError(raised);
      if (status >= 500) request.log.error({ err: raised }, 'unhandled error');
      sendError(reply, status, message);
      return;
    }
    if (exception instanceof HttpException) {
      sendError(reply, exception.getStatus(), messageOf(exception));
      return;
    }
    request.log.error({ err: exception }, 'unhandled error');
    sendError(reply, 500, 'internal error; the request id identifies it in the logs');
  }
}

/**
 * Errors raised before Nest's pipeline (Fastify itself, the body parser, plugins): they carry a
 * `statusCode`, and the adapter wraps the 4xx ones in an HttpException as its cause.
 */
function isFastifyError(cause: unknown): cause is FastifyError {
  return cause instanceof Error && typeof (cause as FastifyError).statusCode === 'number';
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}
