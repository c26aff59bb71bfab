/**
 * The canvas model (Celery's signatures, chains, groups and chords) as plain data. Pure: the
 * client parses and plans it, the canvas workflow interprets it.
 */

/** Options a signature carries (Celery's signature `options`), in Celery's own names. */
export interface SignatureOptions {
  task_id?: string;
  link?: Canvas[];
  link_error?: Canvas[];
  /** Any call option of a single task (countdown, queue, max_retries, ...). */
  [option: string]: unknown;
}

export interface TaskSignature {
  kind: 'task';
  task: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  immutable: boolean;
  options: SignatureOptions;
}

export interface ChainSignature {
  kind: 'chain';
  tasks: Canvas[];
  options: SignatureOptions;
}

export interface GroupSignature {
  kind: 'group';
  tasks: Canvas[];
  options: SignatureOptions;
}

export interface ChordSignature {
  kind: 'chord';
  header: Canvas[];
  body: Canvas;
  options: SignatureOptions;
}

/** `map(task, it)` / `starmap(task, it)`: one task that calls `task` for each item, in order. */
export interface MapSignature {
  kind: 'map' | 'starmap';
  task: TaskSignature;
  it: unknown[];
  options: SignatureOptions;
}

export type Canvas = TaskSignature | ChainSignature | GroupSignature | ChordSignature | MapSignature;

/** A short name of a canvas's shape for the Temporal UI, e.g. `chain(add, group(mul, mul))`. */
export function describeShape(canvas: Canvas, budget = 120): string {
  const text = shape(canvas);
  return text.length > budget ? `${text.slice(0, budget - 1)}…` : text;
}

function shape(canvas: Canvas): string {
  switch (canvas.kind) {
    case 'task':
      return canvas.task;
    case 'chain':
    case 'group':
      return `${canvas.kind}(${canvas.tasks.map(shape).join(', ')})`;
    case 'chord':
      return `chord([${canvas.header.map(shape).join(', ')}], ${shape(canvas.body)})`;
    default:
      return `${canvas.kind}(${canvas.task.task})`;
  }
}
