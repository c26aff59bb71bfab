/** What the CLI prints: JSON for scripts (--json), short lines and tables for people. */
import ora from 'ora';
import { EXIT, type ApiTask } from './api-client.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Columns padded to their widest cell. */
export function table(header: string[], rows: Array<Array<string | number | null>>): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => (cell === null ? '-' : String(cell))))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

/**
 * A spinner on stderr while waiting, only for a person at a terminal. A terminal that reports
 * no width (some pseudo-terminals) gets none: ora would redraw an ever-growing number of lines.
 */
export function spinner(enabled: boolean, text: string): { active: boolean; update(text: string): void; stop(): void } {
  if (!enabled || !process.stderr.isTTY || !process.stderr.columns) return { active: false, update: () => undefined, stop: () => undefined };
  const spin = ora({ stream: process.stderr, text }).start();
  return { active: true, update: (next) => (spin.text = next), stop: () => spin.stop() };
}

/** A task's state in a few words: `PROGRESS {"current":2,"total":3}`, `FAILURE ExpectedError: boom`. */
export function describeState(task: ApiTask): string {
  if (task.state === 'FAILURE' && task.error) return `FAILURE ${task.error.type}: ${task.error.message}`;
  if (task.state === 'REVOKED') return `REVOKED (${task.reason ?? 'revoked'})`;
  if (task.meta !== null && task.meta !== undefined) return `${task.state} ${JSON.stringify(task.meta)}`;
  if (task.eta) return `${task.state} (eta ${task.eta})`;
  return task.state;
}

/**
 * Prints a task that was waited for and gives the exit code: its result on SUCCESS, its error
 * on FAILURE, why on REVOKED, and the state it is still in after a timeout.
 */
export function reportTask(task: ApiTask, json: boolean, waitedS?: number): number {
  if (json) printJson(task);
  switch (task.state) {
    case 'SUCCESS':
      if (!json) process.stdout.write(`${JSON.stringify(task.result)}\n`);
      return EXIT.OK;
    case 'FAILURE':
    case 'REVOKED':
      if (!json) process.stderr.write(`${task.id}: ${describeState(task)}\n`);
      return EXIT.TASK_FAILED;
    default:
      process.stderr.write(`${task.id}: still ${describeState(task)}${waitedS === undefined ? '' : ` after ${waitedS} s`}\n`);
      return EXIT.TIMEOUT;
  }
}
