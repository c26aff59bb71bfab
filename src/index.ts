/**
 * `celerity`: the public API of the package. Define tasks and an app (`defineApp`, run by
 * `celerity dev|worker|api -A`), send tasks and read their results (`CelerityClient`), build
 * canvases, declare a beat schedule. Workflow code imports `celerity/workflow` instead; an
 * app's tests, `celerity/testing`.
 */
export { AppLoadError, defineApp, type CelerityApp, type CelerityAppOptions } from './app.js';
export * from './tasks/index.js';
export {
  AsyncResult, CanvasUnreadableError, CelerityClient, MemberRevokeError, TaskFailedError, TaskNotFoundError, TaskRevokedError, TaskTimeoutError,
  type CelerityClientOptions, type Signature, type TaskResult,
} from './client/client.js';
export { READY_STATES, type ReadyState, type TaskError, type TaskState } from './client/state.js';
export * from './canvas/builders.js';
export { CanvasError, parseCanvas } from './canvas/parse.js';
export type { Canvas, ChainSignature, ChordSignature, GroupSignature, MapSignature, SignatureOptions, TaskSignature } from './canvas/model.js';
export { crontab, type Crontab, type OverlapPolicy, type Schedule, type SchedulePolicies } from './beat/spec.js';
export { InvalidScheduleError } from './beat/entry.js';
export type { BeatEntry, BeatSchedule } from './beat/entry.js';
export { loadConfig, type CelerityConfig } from './config.js';
export { celerityClient, connectClient } from './temporal/connection.js';
export { dataConverter } from './temporal/codec.js';
