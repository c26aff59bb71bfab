/**
 * Temporal's payload size limit, checked where Celerity hands a task's input or result to
 * Temporal. Past it the server refuses a workflow start, and the worker refuses to report an
 * activity's result (a retryable failure: the task would be retried for ever) or to complete
 * a workflow task that schedules the activity (retried for ever: the task hangs). Checked
 * first, the same payload fails at once with a PayloadTooLargeError that says what to do.
 */
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { encodeToPayloads, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import proto from '@temporalio/proto';
import { PayloadTooLargeError, RESULT_TOO_LARGE_ADVICE } from '../tasks/errors.js';
import { dataConverter } from './codec.js';

/**
 * The most one payload may hold once encoded: 2 MiB, the default of the server's
 * `limit.blobSize.error`, and Temporal Cloud's limit too. (A cluster configured higher is
 * held to this one all the same.)
 */
export const PAYLOAD_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * Room a workflow's input leaves below the limit: the task workflow hands its input on to its
 * activity with the task id added (at most 1,000 characters, Temporal's id limit), and that
 * activity input must fit too.
 */
export const START_HEADROOM_BYTES = 4 * 1024;

// @temporalio/proto is CommonJS without named exports.
const { Payloads } = proto.temporal.api.common.v1;
const converter = loadDataConverter(dataConverter);

/**
 * The size Temporal counts for these values: encoded as every Celerity client and worker
 * encodes them (JSON, gzipped over 64 KiB), as the Payloads message the server measures.
 */
export async function encodedSize(...values: unknown[]): Promise<number> {
  const payloads = await encodeToPayloads(converter, ...values);
  return Payloads.encode({ payloads }).finish().length;
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
        'store the data elsewhere (a file, an object store, a database) and pass a reference to it in the arguments instead',
      );
    }
    return next(input);
  },
};
