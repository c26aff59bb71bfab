export { defineTask, type Task, type TaskFunction, type TaskProgress, type TaskRequest } from './define.js';
export { TaskRegistry, UnknownTaskError, type TaskArgs, type TaskName } from './registry.js';
export { currentTask, type TaskContext } from './context.js';
export { bindArguments, TaskArgumentError } from './binding.js';
export { MaxRetriesExceededError, type RetryRequestOptions } from './retry.js';
export { PayloadTooLargeError, SoftTimeLimitExceeded } from './errors.js';
export * from './options.js';
