/**
 * Temporal's payload size limit, and the marker that stands in for a payload over it.
 *
 * Workflow code cannot know how large a value will be once encoded: the codec (gzip) runs
 * outside the workflow sandbox, after the workflow has handed the value on. So the codec
 * (src/temporal/codec.ts) replaces a payload that is still over the limit after gzip with a
 * small marker, instead of letting the worker or the server refuse it (which would retry the
 * workflow task for ever: a hang). The marker decodes to a plain value, `tooLarge(size, limit)`,
 * and whoever receives one (a task's activity, the canvas interpreter, the client) turns it
 * into a non-retryable PayloadTooLargeError with tooLargeFailure.
 *
 * Pure, with no Node API: workflow code imports it.
 */
import { ApplicationFailure } from '@temporalio/common';
import { PAYLOAD_TOO_LARGE_ERROR, PayloadTooLargeError } from '../tasks/errors.js';

/**
 * The most one payload may hold once encoded: 2 MiB, the default of the server's
 * `limit.blobSize.error`, and Temporal Cloud's limit too. (A cluster configured higher is
 * held to this one all the same.)
 */
export const PAYLOAD_LIMIT_BYTES = 2 * 1024 * 1024;

/** The `encoding` metadata of the marker payload, so it is never taken for a value by mistake. */
export const TOO_LARGE_ENCODING = 'json/celerity-payload-too-large';

/** The one key of the value a marker decodes to. */
export const TOO_LARGE_KEY = '__celerity_payload_too_large__';

/** What stands in for a value too large to carry: its size once encoded, and the limit it is over. */
export interface TooLarge {
  [TOO_LARGE_KEY]: { size: number; limit: number };
}

export function tooLarge(size: number, limit: number = PAYLOAD_LIMIT_BYTES): TooLarge {
  return { [TOO_LARGE_KEY]: { size, limit } };
}

export function isTooLarge(value: unknown): value is TooLarge {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const inner = (value as Record<string, unknown>)[TOO_LARGE_KEY];
  return typeof inner === 'object' && inner !== null && typeof (inner as TooLarge[typeof TOO_LARGE_KEY]).size === 'number';
}

/** What a workflow's input over the limit (a task's arguments, a canvas) should be instead. */
export const START_TOO_LARGE_ADVICE =
  'store the data elsewhere (a file, an object store, a database) and pass a reference to it in the arguments instead';

/** What a task whose arguments are too large (an earlier result among them) should do instead. */
export const INPUT_TOO_LARGE_ADVICE =
  'its arguments hold earlier results (a chain\'s previous step, a chord\'s header): have those tasks return a reference ' +
  'to stored data (a file, an object-store key, a database id) instead of the data itself';

/** What a canvas (or a part of one) whose collected results are too large should do instead. */
export const RESULTS_TOO_LARGE_ADVICE =
  'it collects its members\' results: have the tasks return a reference to stored data (a file, an object-store key, ' +
  'a database id) instead of the data itself';

/** The final, non-retryable failure for `what` (e.g. "the input of xsum root~4"), which a marker stood in for. */
export function tooLargeFailure(what: string, marker: TooLarge, advice: string): ApplicationFailure {
  const { size, limit } = marker[TOO_LARGE_KEY];
  return ApplicationFailure.nonRetryable(new PayloadTooLargeError(what, size, limit, advice).message, PAYLOAD_TOO_LARGE_ERROR);
}
