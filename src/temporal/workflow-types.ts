/**
 * The types of Celerity's own workflows (workflows/index.ts exports them under these names): how
 * a history in the Temporal UI, a visibility query or a reader tells a task from a canvas.
 */
/** A task sent alone: its workflow id is the task id (workflows/task.ts). */
export const TASK_WORKFLOW = 'task';
/** A canvas sent over REST, by the client or by a schedule (workflows/canvas.ts). */
export const CANVAS_WORKFLOW = 'canvas';
/** One part of a large canvas, a child of its canvas's workflow (src/canvas/partition.ts). */
export const PARTITION_WORKFLOW = 'canvasPartition';
