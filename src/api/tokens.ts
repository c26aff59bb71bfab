/** Injection tokens for what the API is given from outside Nest (built once at start). */
export const CELERITY_CLIENT = Symbol('CelerityClient');
export const TASK_REGISTRY = Symbol('TaskRegistry');
export const TEMPORAL_CLIENT = Symbol('TemporalClient');
/** Builds a link to a task's history in the Temporal Web UI. */
export const UI_LINKS = Symbol('UiLinks');
/** The task queue of Celerity's workflows. */
export const WORKFLOW_QUEUE = Symbol('WorkflowQueue');
