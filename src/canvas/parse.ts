/**
 * Reads a canvas from JSON, in either form of CANVAS.md: the native one
 * (`{"chain": [...]}`, `{"group": [...]}`, `{"chord": {...}}`, ...) or Celery's own signature
 * dict (`subtask_type` or a reserved `celery.*` task name, parts in `kwargs`). Errors name the
 * bad field by its path. Pure.
 */
import { chunks, withOptions } from './builders.js';
import type { Canvas, GroupSignature, SignatureOptions, TaskSignature } from './model.js';

export class CanvasError extends Error {
  override name = 'CanvasError';
  constructor(readonly path: string, problem: string) {
    super(`${path ? `${path} ` : ''}${problem}`);
  }
}

type Json = Record<string, unknown>;

const NATIVE = ['chain', 'group', 'chord', 'map', 'starmap', 'chunks'] as const;
/** Celery's names for composite signatures, as `subtask_type` or reserved task name. */
const CELERY_KINDS: Record<string, (typeof NATIVE)[number]> = {
  chain: 'chain', 'celery.chain': 'chain',
  group: 'group', 'celery.group': 'group',
  chord: 'chord', 'celery.chord': 'chord',
  xmap: 'map', 'celery.map': 'map',
  xstarmap: 'starmap', 'celery.starmap': 'starmap',
  chunks: 'chunks', 'celery.chunks': 'chunks',
};

/** Checks one signature's call options (link and link_error aside); throws to refuse them. */
export type OptionsCheck = (options: Record<string, unknown>, path: string) => void;

/**
 * How deep signatures may nest (members and link/link_error callbacks alike): deeper than any
 * canvas a person builds, shallow enough for every recursive walk over it (normalize, plan,
 * the canvas workflow, the members tree) to have stack to spare.
 */
export const MAX_CANVAS_DEPTH = 64;

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
  const node = object(value, path);
  const options = parseOptions(node.options, join(path, 'options'), check, depth);
  const native = NATIVE.find((key) => key in node && !('task' in node));
  if (native) return composite(native, node[native], options, join(path, native), check, depth);

  const kind = typeof node.subtask_type === 'string' ? CELERY_KINDS[node.subtask_type] : CELERY_KINDS[String(node.task)];
  if (node.subtask_type != null && !kind) throw new CanvasError(join(path, 'subtask_type'), `must be one of chain, group, chord, xmap, xstarmap, chunks`);
  if (kind) return composite(kind, celeryParts(kind, node, path), options, join(path, 'kwargs'), check, depth);
  return parseTask(node, path, options);
}

function parseTask(node: Json, path: string, options: SignatureOptions): TaskSignature {
  if (typeof node.task !== 'string' || !node.task.trim()) {
    throw new CanvasError(join(path, 'task'), `must name a task (or the object must be one of ${NATIVE.join(', ')})`);
  }
  const args = node.args ?? [];
  if (!Array.isArray(args)) throw new CanvasError(join(path, 'args'), 'must be an array');
  const kwargs = node.kwargs ?? {};
  if (!isObject(kwargs)) throw new CanvasError(join(path, 'kwargs'), 'must be an object');
  const immutable = node.immutable ?? false;
  if (typeof immutable !== 'boolean') throw new CanvasError(join(path, 'immutable'), 'must be a boolean');
  return { kind: 'task', task: node.task, args, kwargs, immutable, options };
}

/** Celery keeps a composite's parts in its kwargs. */
function celeryParts(kind: (typeof NATIVE)[number], node: Json, path: string): unknown {
  const kwargs = object(node.kwargs ?? {}, join(path, 'kwargs'));
  if (kind === 'chain' || kind === 'group') {
    // Celery writes a group's tasks as kwargs.tasks; a chain may also carry them in args.
    return kwargs.tasks ?? (Array.isArray(node.args) && node.args.length ? node.args[0] : undefined);
  }
  return kwargs;
}

function composite(kind: (typeof NATIVE)[number], parts: unknown, options: SignatureOptions, path: string, check: OptionsCheck, depth: number): Canvas {
  const parse = (value: unknown, at: string) => parseNode(value, at, check, depth + 1);
  switch (kind) {
    case 'chain':
    case 'group':
      return { kind, tasks: list(parts, path).map((part, i) => parse(part, `${path}[${i}]`)), options };
    case 'chord': {
      const chord = object(parts, path);
      const header = chord.header;
      // Celery serialises a chord's header as a group signature.
      const members = isObject(header)
        ? (parse(header, join(path, 'header')) as GroupSignature).tasks
        : list(header, join(path, 'header')).map((part, i) => parse(part, `${join(path, 'header')}[${i}]`));
      if (chord.body == null) throw new CanvasError(join(path, 'body'), 'is required');
      return { kind, header: members, body: parse(chord.body, join(path, 'body')), options };
    }
    case 'map':
    case 'starmap': {
      const spec = object(parts, path);
      return { kind, task: mappedTask(parse(spec.task, join(path, 'task')), join(path, 'task')), it: items(spec.it, join(path, 'it'), kind === 'starmap'), options };
    }
    case 'chunks': {
      const spec = object(parts, path);
      const n = spec.n;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new CanvasError(join(path, 'n'), 'must be a whole number of at least 1');
      const task = mappedTask(parse(spec.task, join(path, 'task')), join(path, 'task'));
      // Rule 17: runs of n (the last holds the rest), each one starmap, together a group.
      return withOptions(chunks(task, items(spec.it, join(path, 'it'), true) as unknown[][], n), options);
    }
  }
}

function mappedTask(task: Canvas, path: string): TaskSignature {
  if (task.kind !== 'task') throw new CanvasError(path, 'must be a single task signature');
  return task;
}

function items(value: unknown, path: string, tuples: boolean): unknown[] {
  const it = list(value, path);
  if (tuples) it.forEach((item, i) => { if (!Array.isArray(item)) throw new CanvasError(`${path}[${i}]`, 'must be an array of arguments'); });
  return it;
}

function parseOptions(value: unknown, path: string, check: OptionsCheck, depth: number): SignatureOptions {
  if (value == null) return {};
  const options = { ...object(value, path) } as SignatureOptions;
  check(Object.fromEntries(Object.entries(options).filter(([key]) => key !== 'link' && key !== 'link_error')), path);
  for (const key of ['link', 'link_error'] as const) {
    const raw = options[key] as unknown;
    if (raw == null) {
      delete options[key];
      continue;
    }
    // Celery accepts one signature or a list of them.
    const callbacks = Array.isArray(raw) ? raw : [raw];
    options[key] = callbacks.map((callback, i) => parseNode(callback, `${join(path, key)}[${i}]`, check, depth + 1));
  }
  if (options.task_id != null && (typeof options.task_id !== 'string' || !/^[\w.:@-]{1,255}$/.test(options.task_id))) {
    throw new CanvasError(join(path, 'task_id'), 'may only contain letters, digits and _ . : @ -');
  }
  return options;
}

function object(value: unknown, path: string): Json {
  if (!isObject(value)) throw new CanvasError(path, 'must be an object');
  return value;
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new CanvasError(path, 'must be an array');
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** A long path cut to its start, which says where to look. */
function shorten(path: string): string {
  const keys = path.split('.');
  return keys.length > 8 ? `${keys.slice(0, 8).join('.')}…` : path;
}
