export { defineTask, type Task, type TaskFunction, type TaskRequest } from './define.js';
export { TaskRegistry } from './registry.js';
export { currentTask, type TaskContext } from './context.js';
export { bindArguments, TaskArgumentError } from './binding.js';
export * from './options.js';
