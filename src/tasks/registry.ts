import type { Task } from './define.js';

export class UnknownTaskError extends Error {
  override name = 'UnknownTaskError';
  constructor(readonly taskName: string) {
    super(`no task named ${JSON.stringify(taskName)} is registered`);
  }
}

/** The tasks an app knows, by name (Celery's `app.tasks`). */
export class TaskRegistry {
  private readonly tasks = new Map<string, Task>();

  constructor(tasks: Iterable<Task> = []) {
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
