import type { Task } from './define.js';

export class UnknownTaskError extends Error {
  override name = 'UnknownTaskError';
  constructor(readonly taskName: string) {
    super(`no task named ${JSON.stringify(taskName)} is registered`);
  }
}

/**
 * The tasks an app knows, by name (Celery's `app.tasks`). `T` keeps each task's name and
 * function type, so that a client typed with this registry checks `sendTask('add', [2, 2])`
 * against `add`'s parameters at compile time.
 */
export class TaskRegistry<T extends Task = Task> {
  private readonly tasks = new Map<string, Task>();

  constructor(tasks: Iterable<T> = []) {
    for (const task of tasks) this.register(task);
  }

  register(task: Task): void {
    if (this.tasks.has(task.name)) throw new Error(`task ${task.name} is defined twice`);
    this.tasks.set(task.name, task);
  }

  get(name: string): Task | undefined {
    return this.tasks.get(name);
  }

  list(): Task[] {
    return [...this.tasks.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The activities a worker registers: one per task, named after it. */
  activities(): Record<string, Task['activity']> {
    return Object.fromEntries(this.list().map((task) => [task.name, task.activity]));
  }
}

/** The names of the tasks of registry `R`. */
export type TaskName<R extends TaskRegistry> = R extends TaskRegistry<infer T> ? T['name'] : string;

/** The positional arguments of task `N` of registry `R`, as its function declares them. */
export type TaskArgs<R extends TaskRegistry, N extends string> =
  R extends TaskRegistry<infer T> ? Parameters<Extract<T, { name: N }>['fn']> : unknown[];
