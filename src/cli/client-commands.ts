/** The commands that use a running Celerity through its REST API: call, result, revoke, inspect, schedule. */
import { InvalidArgumentError, type Command } from 'commander';
import { ApiClient } from './api-client.js';
import { call } from './call.js';
import { inspect, INSPECTIONS } from './inspect.js';
import { result } from './result.js';
import { revoke } from './revoke.js';
import { scheduleCommands } from './schedule.js';

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of seconds, 0 or more');
  return n;
}

/** Runs a command and exits with the code it answers. */
function run(action: (api: ApiClient) => Promise<number>): Promise<void> {
  return action(new ApiClient()).then((code) => process.exit(code));
}

export function addClientCommands(program: Command): void {
  program
    .command('call')
    .description('send a task (celery call): prints its id, or with --wait its result. The API is CELERITY_URL (default http://127.0.0.1:3000)')
    .argument('<task>', 'task name')
    .argument('[args...]', 'positional arguments, each read as JSON where it parses (2, true, [1,2], \'"2"\'), else as a string; put -- before negative numbers')
    .option('--kwargs <json>', 'keyword arguments as a JSON object')
    .option('--countdown <seconds>', 'start no sooner than this many seconds from now', seconds)
    .option('--eta <time>', 'start no sooner than this ISO 8601 time')
    .option('--expires <seconds|time>', 'revoke if not started by then')
    .option('--queue <queue>', 'the queue to send it to')
    .option('--task-id <id>', 'a task id of your own (sending it again returns the same task)')
    .option('--wait', 'wait until the task is ready and print its result')
    .option('--timeout <seconds>', 'with --wait: give up after this many seconds (exit 3)', seconds)
    .option('--json', 'print the task as JSON')
    .action((task: string, args: string[], options) => run((api) => call(api, task, args, options)));

  program
    .command('result')
    .description('wait for a task and print its result (AsyncResult.get); exit 1 if it failed or was revoked')
    .argument('<id>', 'task id')
    .option('--timeout <seconds>', 'give up after this many seconds (exit 3); default: wait until ready', seconds)
    .option('--json', 'print the task as JSON')
    .action((id: string, options) => run((api) => result(api, id, options)));

  program
    .command('revoke')
    .description('revoke a task: it may clean up, or with --terminate it stops at once')
    .argument('<id>', 'task id')
    .option('--terminate', 'stop it now')
    .option('--reason <text>', 'recorded in the task\'s Temporal history')
    .option('--json', 'print the task as JSON')
    .action((id: string, options) => run((api) => revoke(api, id, options)));

  program
    .command('inspect')
    .description(`look at a running Celerity (celery inspect): ${Object.entries(INSPECTIONS).map(([name, i]) => `${name} (${i.help})`).join('; ')}`)
    .argument('<what>', Object.keys(INSPECTIONS).join('|'))
    .option('--json', 'print JSON')
    .action((what: string, options) => run((api) => inspect(api, what, options)));

  const schedule = program.command('schedule').description('periodic tasks (celery beat): ls, show, add, pause, unpause, trigger, rm');
  schedule
    .command('ls')
    .description('list the schedules')
    .option('--json', 'print JSON')
    .action((options) => run((api) => scheduleCommands.ls(api, options)));
  schedule
    .command('show')
    .description('a schedule with its next run times and recent runs')
    .argument('<id>', 'schedule id')
    .option('--json', 'print JSON')
    .action((id: string, options) => run((api) => scheduleCommands.show(api, id, options)));
  schedule
    .command('add')
    .description('create a schedule')
    .argument('<id>', 'schedule id')
    .argument('<task>', 'task name')
    .argument('[args...]', 'positional arguments, as for call')
    .requiredOption('-s, --schedule <spec>', 'seconds, an interval ("every 30s", "1h 30m") or a cron string ("*/15 * * * mon-fri", "@daily")')
    .option('--kwargs <json>', 'keyword arguments as a JSON object')
    .option('--timezone <tz>', 'IANA time zone of a cron schedule')
    .option('--queue <queue>', 'the queue its runs go to')
    .option('--paused', 'create it paused')
    .option('--note <text>', 'why (e.g. why it is paused)')
    .option('--json', 'print JSON')
    .action((id: string, task: string, args: string[], options) => run((api) => scheduleCommands.add(api, id, task, args, options)));
  for (const action of ['pause', 'unpause', 'trigger'] as const) {
    const command = schedule
      .command(action)
      .description(action === 'trigger' ? 'run it now' : `${action} a schedule`)
      .argument('<id>', 'schedule id')
      .option('--json', 'print JSON')
      .action((id: string, options) => run((api) => scheduleCommands.act(api, id, action, options)));
    if (action !== 'trigger') command.option('--note <text>', 'why, shown with the schedule');
  }
  schedule
    .command('rm')
    .description('delete a schedule (runs already started go on)')
    .argument('<id>', 'schedule id')
    .action((id: string) => run((api) => scheduleCommands.rm(api, id)));
}
