/**
 * Temporal's payload size limit, checked where Celerity hands a task's input or result to
 * Temporal. Past it the server refuses a workflow start, and the worker refuses to report an
 * activity's result (a retryable failure: the task would be retried for ever) or to complete
 * a workflow task that schedules the activity (retried for ever: the task hangs). Checked
 * first, the same payload fails at once with a PayloadTooLargeError that says what to do.
 * A payload no check sees (a chord body's input, a canvas's collected results) is replaced by
 * the codec with a marker when it is over the limit (src/temporal/payload-marker.ts).
 */
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { encodeToPayloads, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { PayloadTooLargeError, RESULT_TOO_LARGE_ADVICE } from '../tasks/errors.js';
import { gzipCodec, payloadsSize } from './codec.js';
import { PAYLOAD_LIMIT_BYTES, START_TOO_LARGE_ADVICE } from './payload-marker.js';

export { PAYLOAD_LIMIT_BYTES };

/**
 * Room a workflow's input leaves below the limit: the task workflow hands its input on to its
 * activity with the task id added (at most 1,000 characters, Temporal's id limit), and that
 * activity input must fit too.
 */
export const START_HEADROOM_BYTES = 4 * 1024;

// Without the marker codec: it would stand in for a payload over the limit, hiding its size.
const converter = loadDataConverter({ payloadCodecs: [gzipCodec] });

/**
 * The size Temporal counts for these values: encoded as every Celerity client and worker
 * encodes them (JSON, gzipped over 64 KiB), as the Payloads message the server measures.
 */
export async function encodedSize(...values: unknown[]): Promise<number> {
  return payloadsSize((await encodeToPayloads(converter, ...values)) ?? []);
}

/** Fails a task whose result Temporal could not store; called by the task's activity. */
export async function checkResultSize(task: string, result: unknown): Promise<void> {
  const size = await encodedSize(result);
  if (size > PAYLOAD_LIMIT_BYTES) {
    throw new PayloadTooLargeError(`the result of ${task}`, size, PAYLOAD_LIMIT_BYTES, RESULT_TOO_LARGE_ADVICE);
  }
}

/** Refuses, before it reaches Temporal, a workflow start whose input could not be stored. */
export const payloadLimitInterceptor: WorkflowClientInterceptor = {
  async startWithDetails(input, next) {
    const limit = PAYLOAD_LIMIT_BYTES - START_HEADROOM_BYTES;
    const size = await encodedSize(...input.options.args);
    if (size > limit) {
      throw new PayloadTooLargeError(
        `the input of ${input.workflowType} ${input.options.workflowId}`,
        size,
        limit,
        START_TOO_LARGE_ADVICE,
      );
    }
    return next(input);
  },
};
