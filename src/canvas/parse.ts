/**
 * Reads a canvas from JSON, in either form of CANVAS.md: the native one
 * (`{"chain": [...]}`, `{"group": [...]}`, `{"chord": {...}}`, ...) or Celery's own signature
 * dict (`subtask_type` or a reserved `celery.*` task name, parts in `kwargs`). Which form a
 * node is, and the nesting bound, are decided here; each node's fields are checked against its
 * shape in schema.ts, whose messages the errors carry, naming the bad field by its path. Pure.
 */
import type { z } from 'zod';
import { chunks, withOptions } from './builders.js';
import type { Canvas, GroupSignature, SignatureOptions, TaskSignature } from './model.js';
import { CELERY_COMPOSITES, describeIssues, joinPath, jsonObject, NATIVE_FORMS, shallow, subtaskType, taskIdSchema, type NativeForm } from './schema.js';

export class CanvasError extends Error {
  override name = 'CanvasError';
  constructor(readonly path: string, readonly problem: string) {
    super(`${path ? `${path} ` : ''}${problem}`);
  }
}

type Json = Record<string, unknown>;
type Shallow<K extends NativeForm> = z.output<(typeof shallow.parts)[K]>;

/** Celery's names for composite signatures, as `subtask_type` or reserved task name. */
const CELERY_KINDS: Record<string, NativeForm> = {
  chain: 'chain', group: 'group', chord: 'chord', xmap: 'map', xstarmap: 'starmap', chunks: 'chunks', ...CELERY_COMPOSITES,
};

/** Checks one signature's call options (link and link_error aside); throws to refuse them. */
export type OptionsCheck = (options: Record<string, unknown>, path: string) => void;

/**
 * How deep signatures may nest (members and link/link_error callbacks alike): deeper than any
 * canvas a person builds, shallow enough for every recursive walk over it (normalize, plan,
 * the canvas workflow, the members tree) to have stack to spare.
 */
export const MAX_CANVAS_DEPTH = 64;

/**
 * The canvas a JSON value describes (a signature or a composite, in either form; `CanvasJson` is
 * its type). Throws CanvasError naming the first bad field by its path (`chain[1].task must name
 * a task ...`), or where signatures nest deeper than MAX_CANVAS_DEPTH. Each signature's call
 * options (link and link_error aside) also go through `checkOptions`: strictCallOptions refuses
 * any the REST API does not take; by default only `task_id` is checked.
 */
export function parseCanvas(value: unknown, checkOptions: OptionsCheck = () => undefined): Canvas {
  return parseNode(value, '', checkOptions, 1);
}

/** Refuses, as parseCanvas would, a canvas built in code nested deeper than MAX_CANVAS_DEPTH. Iterative. */
export function checkCanvasDepth(canvas: Canvas): void {
  const todo: Array<[Canvas, number]> = [[canvas, 1]];
  for (let next = todo.pop(); next; next = todo.pop()) {
    const [node, depth] = next;
    if (depth > MAX_CANVAS_DEPTH) throw new CanvasError('the canvas', `nests signatures deeper than ${MAX_CANVAS_DEPTH} levels`);
    const { link = [], link_error: linkError = [] } = node.options;
    const members = node.kind === 'chain' || node.kind === 'group' ? node.tasks : node.kind === 'chord' ? [...node.header, node.body] : node.kind === 'task' ? [] : [node.task];
    for (const child of [...link, ...linkError, ...members]) todo.push([child, depth + 1]);
  }
}

function parseNode(value: unknown, path: string, check: OptionsCheck, depth: number): Canvas {
  if (depth > MAX_CANVAS_DEPTH) throw new CanvasError(shorten(path), `nests signatures deeper than ${MAX_CANVAS_DEPTH} levels`);
  const node = valid(jsonObject, value, path);
  const options = parseOptions(node.options, joinPath(path, 'options'), check, depth);
  const native = NATIVE_FORMS.find((key) => key in node && !('task' in node));
  if (native) return composite(native, valid(shallow.parts[native], node[native], joinPath(path, native)), options, joinPath(path, native), check, depth);

  valid(subtaskType, node.subtask_type, joinPath(path, 'subtask_type'));
  const kind = typeof node.subtask_type === 'string' ? CELERY_KINDS[node.subtask_type] : CELERY_KINDS[String(node.task)];
  if (kind) return composite(kind, celeryParts(kind, node, path), options, joinPath(path, 'kwargs'), check, depth);
  const task = valid(shallow.signature, node, path);
  return { kind: 'task', task: task.task, args: task.args ?? [], kwargs: task.kwargs ?? {}, immutable: task.immutable ?? false, options };
}

/** Celery keeps a composite's parts in its kwargs. */
function celeryParts(kind: NativeForm, node: Json, path: string): unknown {
  const kwargs = valid(jsonObject, node.kwargs ?? {}, joinPath(path, 'kwargs'));
  // Celery writes a group's tasks as kwargs.tasks; a chain may also carry them in args.
  const parts = kind === 'chain' || kind === 'group' ? (kwargs.tasks ?? (Array.isArray(node.args) && node.args.length ? node.args[0] : undefined)) : kwargs;
  return valid(shallow.parts[kind], parts, joinPath(path, 'kwargs'));
}

/** A composite from its parts, already checked against their shallow shape. */
function composite(kind: NativeForm, parts: unknown, options: SignatureOptions, path: string, check: OptionsCheck, depth: number): Canvas {
  const parse = (value: unknown, at: string) => parseNode(value, at, check, depth + 1);
  const all = (values: unknown[], at: string) => values.map((value, i) => parse(value, `${at}[${i}]`));
  switch (kind) {
    case 'chain':
    case 'group':
      return { kind, tasks: all(parts as unknown[], path), options };
    case 'chord': {
      const { header, body } = parts as Shallow<'chord'>;
      const at = joinPath(path, 'header');
      // Celery serialises a chord's header as a group signature.
      const members = Array.isArray(header) ? all(header, at) : (parse(header, at) as GroupSignature).tasks;
      return { kind, header: members, body: parse(body, joinPath(path, 'body')), options };
    }
    case 'map':
    case 'starmap': {
      const spec = parts as Shallow<'map' | 'starmap'>;
      return { kind, task: mappedTask(parse(spec.task, joinPath(path, 'task')), joinPath(path, 'task')), it: spec.it, options };
    }
    case 'chunks': {
      const spec = parts as Shallow<'chunks'>;
      const task = mappedTask(parse(spec.task, joinPath(path, 'task')), joinPath(path, 'task'));
      // Rule 17: runs of n (the last holds the rest), each one starmap, together a group.
      return withOptions(chunks(task, spec.it, spec.n), options);
    }
  }
}

function mappedTask(task: Canvas, path: string): TaskSignature {
  if (task.kind !== 'task') throw new CanvasError(path, 'must be a single task signature');
  return task;
}

function parseOptions(value: unknown, path: string, check: OptionsCheck, depth: number): SignatureOptions {
  if (value == null) return {};
  const options = { ...valid(jsonObject, value, path) } as SignatureOptions;
  check(Object.fromEntries(Object.entries(options).filter(([key]) => key !== 'link' && key !== 'link_error')), path);
  for (const key of ['link', 'link_error'] as const) {
    const raw = options[key] as unknown;
    if (raw == null) {
      delete options[key];
      continue;
    }
    // Celery accepts one signature or a list of them.
    const callbacks = Array.isArray(raw) ? raw : [raw];
    options[key] = callbacks.map((callback, i) => parseNode(callback, `${joinPath(path, key)}[${i}]`, check, depth + 1));
  }
  if (options.task_id != null) valid(taskIdSchema, options.task_id, joinPath(path, 'task_id'));
  return options;
}

/** Refuses any call option the API does not know, or one of the wrong shape: the check POST /tasks and schedules use. */
export const strictCallOptions: OptionsCheck = (options, path) => {
  valid(shallow.callOptions, options, path);
};

/** The value if `schema` accepts it; else a CanvasError naming the first bad field by its path. */
function valid<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  const checked = schema.safeParse(value);
  if (checked.success) return value as z.output<S>;
  const [first] = describeIssues(checked.error.issues, path);
  throw new CanvasError(first.path, first.message);
}

/** A long path cut to its start, which says where to look. */
function shorten(path: string): string {
  const keys = path.split('.');
  return keys.length > 8 ? `${keys.slice(0, 8).join('.')}…` : path;
}
