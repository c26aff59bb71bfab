/** One error shape for every failure: `{ statusCode, error, message }`, with a message a person can act on. */
import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import { z } from 'zod';
import type { Response } from 'express';
import { InvalidScheduleError, ScheduleExistsError, UnknownScheduleError } from '../beat/entry.js';
import { CanvasError } from '../canvas/parse.js';
import { CanvasPlanError } from '../canvas/plan.js';
import { CanvasUnreadableError, MemberRevokeError, TaskNotFoundError, UnknownTaskError } from '../client/client.js';
import { InvalidSearchError } from '../client/search.js';
import { InvalidTaskOptionsError, PayloadTooLargeError, TaskArgumentError } from '../tasks/index.js';
import { isTemporalUnavailable } from '../temporal/connection.js';
import { snakeCase } from './names.js';
import { component } from './zod.js';

/** Seconds a client is asked to wait (Retry-After) while Temporal is unreachable or overloaded. */
export const TEMPORAL_RETRY_AFTER_S = 2;

/** Every error answer. */
export const errorSchema = component('ErrorDto', z.object({
  statusCode: z.int().meta({ example: 400 }),
  error: z.string().meta({ example: 'Bad Request' }),
  message: z.string().meta({ example: 'options.countdown must not be less than 0' }),
}));
export type ErrorDto = z.output<typeof errorSchema>;

/** The one map from Celerity's domain errors to HTTP answers: the status, and the message when REST words it otherwise. */
const ANSWER_OF = new Map<Function, { status: HttpStatus; message?: (err: Error) => string }>([
  [UnknownTaskError, { status: HttpStatus.NOT_FOUND }],
  [TaskNotFoundError, { status: HttpStatus.NOT_FOUND }],
  [TaskArgumentError, { status: HttpStatus.BAD_REQUEST }],
  [PayloadTooLargeError, { status: HttpStatus.PAYLOAD_TOO_LARGE }],
  [InvalidTaskOptionsError, { status: HttpStatus.BAD_REQUEST }],
  [CanvasError, { status: HttpStatus.BAD_REQUEST }],
  [CanvasUnreadableError, { status: HttpStatus.SERVICE_UNAVAILABLE }],
  [MemberRevokeError, { status: HttpStatus.CONFLICT }],
  [InvalidSearchError, { status: HttpStatus.BAD_REQUEST }],
  // The field at fault, named as REST spells it.
  [InvalidScheduleError, { status: HttpStatus.BAD_REQUEST, message: (err) => `${snakeCase((err as InvalidScheduleError).field)}: ${(err as InvalidScheduleError).reason}` }],
  [UnknownScheduleError, { status: HttpStatus.NOT_FOUND }],
  [ScheduleExistsError, { status: HttpStatus.CONFLICT }],
]);

@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly bodyLimit: string) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) response.setHeader('Retry-After', String(TEMPORAL_RETRY_AFTER_S));
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorDto {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // body-parser's error (the cause) knows the body's size; a 413 of Celerity's own says why.
      if (status === HttpStatus.PAYLOAD_TOO_LARGE && (exception.cause as { type?: unknown } | undefined)?.type === 'entity.too.large') {
        const length = (exception.cause as { length?: unknown }).length;
        const size = typeof length === 'number' ? ` (${length.toLocaleString('en-US')} bytes)` : '';
        return {
          statusCode: status,
          error: statusText(status),
          message: `the request body${size} is over ${this.bodyLimit}, the largest Celerity reads; pass a reference to stored data (a file, an object-store key, a URL) instead of the data itself`,
        };
      }
      const raw = exception.getResponse();
      const message = typeof raw === 'string' ? raw : (raw as { message?: unknown }).message;
      return { statusCode: status, error: statusText(status), message: Array.isArray(message) ? message.join('; ') : String(message ?? exception.message) };
    }
    // A canvas member's error answers as that error would, its message naming the member.
    const cause = exception instanceof CanvasPlanError ? exception.cause : exception;
    const answer = cause instanceof Error ? ANSWER_OF.get(cause.constructor) : undefined;
    if (answer) {
      const message = exception === cause && answer.message ? answer.message(cause as Error) : (exception as Error).message;
      return { statusCode: answer.status, error: statusText(answer.status), message };
    }
    if (isTemporalUnavailable(exception)) {
      const status = HttpStatus.SERVICE_UNAVAILABLE;
      return { statusCode: status, error: statusText(status), message: `Temporal is unreachable or overloaded; retry in ${TEMPORAL_RETRY_AFTER_S} s (a POST with the same task_id: the task may have been created)` };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return { statusCode: 500, error: statusText(500), message: 'internal error; see the API log' };
  }
}

function statusText(status: number): string {
  const name = HttpStatus[status];
  return name ? name.toLowerCase().split('_').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ') : 'Error';
}
