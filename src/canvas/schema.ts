/**
 * The wire shapes of a canvas (CANVAS.md's two JSON forms) and of a signature's call options,
 * each defined once in zod. Two instances come from one definition: the documented one, whose
 * members are canvases again (the OpenAPI components and the TypeScript type of a body), and
 * the shallow one that parse.ts checks one node at a time with (members only have to be
 * objects), so that it can bound the nesting before it recurses. Pure.
 */
import { z } from 'zod';

/** The native composite forms, named by their key (`{"chain": [...]}`). */
export const NATIVE_FORMS = ['chain', 'group', 'chord', 'map', 'starmap', 'chunks'] as const;
export type NativeForm = (typeof NATIVE_FORMS)[number];
/** Celery's `subtask_type` values for composites. */
export const SUBTASK_TYPES = ['chain', 'group', 'chord', 'xmap', 'xstarmap', 'chunks'] as const;
/** Celery's reserved task names of composites, whose parts sit in `kwargs`. */
export const CELERY_COMPOSITES = { 'celery.chain': 'chain', 'celery.group': 'group', 'celery.chord': 'chord', 'celery.map': 'map', 'celery.starmap': 'starmap', 'celery.chunks': 'chunks' } as const;

const TASK_ID = /^[\w.:@-]{1,255}$/;
const QUEUE = /^[\w.:-]{1,200}$/;

const seconds = (description: string, check: (n: z.ZodNumber) => z.ZodNumber) =>
  check(z.number({ error: 'must be a number' })).optional().describe(description);

/** The message that names a missing member or one that is not a JSON object. */
const objectError = (iss: { input?: unknown }) => (iss.input == null ? 'is required' : 'must be an object');
/** A member as the shallow instance sees it: an object, checked as a canvas when parse.ts reaches it. */
const memberObject = z.record(z.string(), z.unknown(), { error: objectError });
/** Any JSON object, such as a node before parse.ts knows which form it is. */
export const jsonObject = z.record(z.string(), z.unknown(), { error: 'must be an object' });
/** Celery's `subtask_type`: null for a task, else the composite's type. */
export const subtaskType = z.enum(SUBTASK_TYPES, { error: `must be one of ${SUBTASK_TYPES.join(', ')}` }).nullish()
  .describe("Celery's dict: null for a task, or a composite's type (its parts then sit in kwargs, as in the Celery forms).");

/** An ISO 8601 time, with or without an offset. */
export const isoTime = z.iso.datetime({ offset: true, local: true, error: 'must be an ISO 8601 time' });

/** A signature's `task_id`, checked wherever a canvas is read. */
export const taskIdSchema = z
  .string({ error: 'may only contain letters, digits and _ . : @ -' })
  .regex(TASK_ID, { error: 'may only contain letters, digits and _ . : @ -' })
  .describe('Task id (at most 255 characters); sending an id that exists returns that task and never runs it twice.')
  .meta({ example: 'report-2026-11-23' });

const EXPIRES = 'must be an ISO 8601 time or a number of seconds (at least 0)';

/** Call options, as in Celery's signature dict (`apply_async` keyword arguments); `link` and `link_error` take `member`s. */
function callOptions<M extends z.ZodType>(member: M) {
  const callbacks = (description: string) => z.union([member, z.array(member)], { error: 'must be a signature or a list of them' }).nullish().describe(description);
  return z.strictObject({
    task_id: taskIdSchema.optional(),
    countdown: seconds('Seconds to wait before the task may start.', (n) => n.min(0, { error: 'must not be less than 0' })),
    eta: isoTime.optional().describe('Earliest start time (ISO 8601).'),
    expires: z
      .union([z.iso.datetime({ offset: true, local: true, error: EXPIRES }), z.number({ error: EXPIRES }).min(0, { error: EXPIRES })], { error: EXPIRES })
      .optional()
      .describe('Revoke the task if it has not started by then: an ISO 8601 time, or seconds from now.'),
    queue: z
      .string({ error: 'may only contain letters, digits and _ . : -' })
      .regex(QUEUE, { error: 'may only contain letters, digits and _ . : - (at most 200)' })
      .optional()
      .describe("Queue that runs the task (default: the task's own, else `celery`)."),
    priority: z.int({ error: 'must be a whole number from 0 to 9' }).min(0, { error: 'must be a whole number from 0 to 9' }).max(9, { error: 'must be a whole number from 0 to 9' })
      .optional()
      .describe("0 (first) to 9 (last), as on Celery's Redis transport; mapped onto Temporal's priority keys 1-5."),
    max_retries: z.int({ error: 'must be a whole number of at least 0, or null' }).min(0, { error: 'must be a whole number of at least 0, or null' })
      .nullable()
      .optional()
      .describe("Retries allowed for the task's own errors; null retries for ever. Default: the task's, else 3."),
    time_limit: seconds('Hard time limit in seconds: the attempt fails with TimeLimitExceeded.', (n) => n.positive({ error: 'must be more than 0' })),
    soft_time_limit: seconds("Soft time limit in seconds (below time_limit): the task's signal fires with SoftTimeLimitExceeded.", (n) => n.positive({ error: 'must be more than 0' })),
    ignore_result: z.boolean({ error: 'must be a boolean' }).optional().describe("Do not keep the task's return value."),
    headers: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional().describe('Custom headers, readable by the task.'),
    link: callbacks('Signatures (or one) run on success with the result prepended.'),
    link_error: callbacks("Signatures (or one) run once on final failure, with the failed task's id."),
  });
}

const TASK_NAME = `must name a task (or the object must be one of ${NATIVE_FORMS.join(', ')})`;
const args = z.array(z.unknown(), { error: 'must be an array' }).nullish().describe('Positional arguments.').meta({ example: [2, 2] });
const kwargs = z.record(z.string(), z.unknown(), { error: 'must be an object' }).nullish().describe('Keyword arguments.');
const immutable = z.boolean({ error: 'must be a boolean' }).nullish().describe("An immutable signature ignores partial arguments and its parent's result.");
const tuples = z.array(z.array(z.unknown(), { error: 'must be an array of arguments' }), { error: 'must be an array' });

/**
 * Every wire shape of a canvas whose members are `member`. The task a map, starmap or chunks
 * calls is documented as a signature (`mapped: 'signature'`); parse.ts checks it when it reaches it.
 */
function canvasShapes<M extends z.ZodType>(member: M, mapped: 'member' | 'signature') {
  const options = callOptions(member);
  const common = { options: options.nullish() };
  const signature = z.looseObject({
    task: z.string({ error: TASK_NAME }).regex(/\S/, { error: TASK_NAME }).describe('Registered task name.').meta({ example: 'add' }),
    args,
    kwargs,
    immutable,
    subtask_type: subtaskType,
    ...common,
  });
  const members = z.array(member, { error: 'must be an array' });
  const chord = z.object({ header: z.union([members, member], { error: 'must be an array' }), body: member }, { error: objectError });
  const called = mapped === 'signature' ? signature : member;
  const map = z.object({ task: called, it: z.array(z.unknown(), { error: 'must be an array' }) }, { error: objectError });
  const starmap = z.object({ task: called, it: tuples }, { error: objectError });
  const chunks = z.object({
    task: called,
    it: tuples,
    n: z.int({ error: 'must be a whole number of at least 1' }).min(1, { error: 'must be a whole number of at least 1' }).describe('Items per run.'),
  }, { error: objectError });
  const parts = { chain: members, group: members, chord, map, starmap, chunks };
  /** Celery's dict of a composite: a reserved task name, its parts in kwargs. */
  const celery = <K extends keyof typeof CELERY_COMPOSITES, S extends z.ZodType>(name: K, kwargs: S) =>
    z.looseObject({ task: z.literal(name), kwargs, args, subtask_type: z.string().nullish(), immutable, ...common });
  return {
    callOptions: options,
    signature,
    parts,
    native: {
      chain: z.looseObject({ chain: parts.chain, ...common }),
      group: z.looseObject({ group: parts.group, ...common }),
      chord: z.looseObject({ chord, ...common }),
      map: z.looseObject({ map, ...common }),
      starmap: z.looseObject({ starmap, ...common }),
      chunks: z.looseObject({ chunks, ...common }),
    },
    celery: {
      chain: celery('celery.chain', z.looseObject({ tasks: members })),
      group: celery('celery.group', z.looseObject({ tasks: members })),
      chord: celery('celery.chord', z.looseObject(chord.shape)),
      map: celery('celery.map', z.looseObject(map.shape)),
      starmap: celery('celery.starmap', z.looseObject(starmap.shape)),
      chunks: celery('celery.chunks', z.looseObject(chunks.shape)),
    },
  };
}

/** What parse.ts checks each node against: members are only required to be objects. */
export const shallow = canvasShapes(memberObject, 'member');

/** Members are canvases again; typed one level deep (as JSON objects), which TypeScript can name without a cycle. */
const documented = canvasShapes(z.lazy((): z.ZodType => canvasSchema) as unknown as typeof memberObject, 'signature');

/** A signature or a canvas in either JSON form of CANVAS.md: the body of POST /tasks. */
export const canvasSchema = z.union([
  documented.signature,
  ...Object.values(documented.native),
  ...Object.values(documented.celery),
]).describe("A signature or a canvas, natively or as Celery's signature dict; signatures nest up to 64 levels deep.");

/** A canvas as JSON (the body of POST /tasks, a schedule's `canvas`). */
export type CanvasJson = z.input<typeof canvasSchema>;

/** The components the OpenAPI document names, each a schema above. */
export const CANVAS_COMPONENTS: Record<string, z.ZodType> = {
  Canvas: canvasSchema,
  Signature: documented.signature,
  CallOptionsDto: documented.callOptions,
  ...Object.fromEntries(NATIVE_FORMS.map((form) => [capitalize(form), documented.native[form]])),
  ...Object.fromEntries(NATIVE_FORMS.map((form) => [`Celery${capitalize(form)}`, documented.celery[form]])),
};

/**
 * A zod error as path-named messages (`chain[1].task must name a task ...`), `at` being the
 * path of the value checked; list indexes in brackets, or as proto3 JSON's field paths write
 * them (`payloads.1.data`). An unknown key of a strict object is named with the key.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], at = '', indexes: 'brackets' | 'dots' = 'brackets'): Array<{ path: string; message: string }> {
  return issues.flatMap((issue) => {
    const path = issue.path.reduce<string>((whole, key) => (typeof key === 'number' && indexes === 'brackets' ? `${whole}[${key}]` : joinPath(whole, String(key))), at);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: joinPath(path, key), message: 'is not a known field' }));
    return [{ path, message: issue.message }];
  });
}

export function joinPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function capitalize(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}
