/**
 * Typed builders for canvases in TypeScript (Celery's `add.s(2, 2) | mul.s(4)`), workflow-safe:
 * use them in a client (`client.applyCanvas(...)`) or inside a workflow (`runCanvas(...)`).
 */
import type { Canvas, MapSignature, SignatureOptions, TaskSignature } from './model.js';

/** A task call that takes its parent's result (Celery's `.s()`). */
export function signature(task: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}, options: SignatureOptions = {}): TaskSignature {
  return { kind: 'task', task, args, kwargs, immutable: false, options };
}

/** A task call that ignores partial arguments and its parent's result (Celery's `.si()`). */
export function immutableSignature(task: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}, options: SignatureOptions = {}): TaskSignature {
  return { ...signature(task, args, kwargs, options), immutable: true };
}

export function chain(...tasks: Canvas[]): Canvas {
  return { kind: 'chain', tasks, options: {} };
}

export function group(...tasks: Canvas[]): Canvas {
  return { kind: 'group', tasks, options: {} };
}

export function chord(header: Canvas[], body: Canvas): Canvas {
  return { kind: 'chord', header, body, options: {} };
}

export function map(task: TaskSignature, it: unknown[]): MapSignature {
  return { kind: 'map', task, it, options: {} };
}

export function starmap(task: TaskSignature, it: unknown[][]): MapSignature {
  return { kind: 'starmap', task, it, options: {} };
}

/** Runs of `n` items, each one starmap, together a group (Celery's `task.chunks(it, n)`). */
export function chunks(task: TaskSignature, it: unknown[][], n: number): Canvas {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('chunks: n must be a whole number of at least 1');
  const runs: Canvas[] = [];
  for (let i = 0; i < it.length; i += n) runs.push(starmap(task, it.slice(i, i + n)));
  return group(...runs);
}

/** The same canvas with call options of its own (Celery's `.set(...)`), e.g. `task_id` or `link`. */
export function withOptions<C extends Canvas>(canvas: C, options: SignatureOptions): C {
  return { ...canvas, options: { ...canvas.options, ...options } };
}
