/** `celerity call TASK ARGS...` (Celery's `celery call`): sends a task, and with --wait prints its result. */
import { CliError, EXIT, type ApiClient, type ApiTask } from './api-client.js';
import { printJson, reportTask } from './output.js';
import { waitForTask } from './result.js';

export interface CallOptions {
  kwargs?: string;
  countdown?: number;
  eta?: string;
  expires?: string;
  queue?: string;
  taskId?: string;
  wait?: boolean;
  timeout?: number;
  json?: boolean;
}

/** A command-line argument as JSON where it parses (`2`, `true`, `[1,2]`, `"2"`), else as the string it is. */
export function parseArg(arg: string): unknown {
  try {
    return JSON.parse(arg);
  } catch {
    return arg;
  }
}

/** --kwargs: a JSON object, or nothing. */
export function parseKwargs(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let kwargs: unknown;
  try {
    kwargs = JSON.parse(text);
  } catch {
    throw new CliError(`--kwargs must be a JSON object, e.g. '{"y": 2}'`, EXIT.REJECTED);
  }
  if (typeof kwargs !== 'object' || kwargs === null || Array.isArray(kwargs)) throw new CliError('--kwargs must be a JSON object', EXIT.REJECTED);
  return kwargs as Record<string, unknown>;
}

/** The POST /tasks body for a call. */
export function callBody(task: string, args: string[], options: CallOptions): Record<string, unknown> {
  const kwargs = parseKwargs(options.kwargs);
  const callOptions = {
    countdown: options.countdown,
    eta: options.eta,
    expires: options.expires === undefined ? undefined : /^\d+(\.\d+)?$/.test(options.expires) ? Number(options.expires) : options.expires,
    queue: options.queue,
    task_id: options.taskId,
  };
  const given = Object.fromEntries(Object.entries(callOptions).filter(([, value]) => value !== undefined));
  return { task, args: args.map(parseArg), ...(kwargs ? { kwargs } : {}), ...(Object.keys(given).length ? { options: given } : {}) };
}

export async function call(api: ApiClient, task: string, args: string[], options: CallOptions): Promise<number> {
  const sent = await api.post<ApiTask>('/tasks', callBody(task, args, options));
  if (!options.wait) {
    if (options.json) printJson(sent);
    else process.stdout.write(`${sent.id}\n`);
    return EXIT.OK;
  }
  const done = await waitForTask(api, sent.id, options.timeout, !options.json);
  return reportTask(done, options.json ?? false, options.timeout);
}
