/** The `celerity` command as a user runs it (the built dist/src/cli/main.js), against a real stack over REST. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { startStack, type Stack } from '../support/stack.js';

const MAIN = path.resolve('dist/src/cli/main.js');

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

function celerity(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { env: { ...process.env, CELERITY_URL: stack.api.url }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('call prints the new task id, and result waits for it and prints its result', async () => {
  const sent = await celerity('call', 'add', '2', '2');
  expect(sent.code).toBe(0);
  const id = sent.stdout.trim();
  expect((await stack.get(`/tasks/${id}`)).body.task).toBe('add');
  expect(await celerity('result', id)).toMatchObject({ code: 0, stdout: '4\n' });
});

test('call --wait prints the result; arguments are JSON where they parse; --kwargs binds by name', async () => {
  expect(await celerity('call', 'add', '--wait', '--', '-1', '3')).toMatchObject({ code: 0, stdout: '2\n' });
  expect(await celerity('call', 'echo', 'two', '[1,2]', '--kwargs', '{"three":3}', '--wait')).toMatchObject({
    code: 0,
    stdout: `${JSON.stringify([['two', [1, 2]], { three: 3 }])}\n`,
  });
  const json = await celerity('call', 'mul', '6', '7', '--wait', '--json', '--task-id', `cli-${Date.now()}`);
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toMatchObject({ task: 'mul', state: 'SUCCESS', result: 42, args: [6, 7] });
});

test('a failed task exits 1 and says why', async () => {
  const failed = await celerity('call', 'fail', 'boom', '--wait');
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain('FAILURE ExpectedError: boom');
});

test('result --timeout exits 3 while the task runs; revoke --terminate stops it; result then exits 1', async () => {
  const id = (await celerity('call', 'sleep', '30')).stdout.trim();
  const waiting = await celerity('result', id, '--timeout', '1');
  expect(waiting.code).toBe(3);
  expect(waiting.stderr).toMatch(/still (PENDING|STARTED) after 1 s/);
  expect(await celerity('revoke', id, '--terminate')).toMatchObject({ code: 0, stdout: `${id}: REVOKED (terminated)\n` });
  const revoked = await celerity('result', id, '--json');
  expect(revoked.code).toBe(1);
  expect(JSON.parse(revoked.stdout)).toMatchObject({ state: 'REVOKED', reason: 'terminated' });
});

test('requests the API refuses exit 2 with its message; an unreachable API exits 4', async () => {
  const unknown = await celerity('call', 'nope');
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('no task named "nope"');
  const tooMany = await celerity('call', 'add', '1', '2', '3');
  expect(tooMany.code).toBe(2);
  expect(tooMany.stderr).toContain('add() takes 2 positional arguments but 3 were given');
  expect((await celerity('call', 'add', '--countdown', 'soon')).code).toBe(2);
  expect((await celerity('result', 'no-such-task')).code).toBe(2);
  const down = await new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(process.execPath, [MAIN, 'inspect', 'workers'], { env: { ...process.env, CELERITY_URL: 'http://127.0.0.1:9' } }, (err, _out, stderr) =>
      resolve({ code: (err as { code?: number } | null)?.code ?? 0, stderr }),
    ),
  );
  expect(down.code).toBe(4);
  expect(down.stderr).toContain('cannot reach the Celerity API at http://127.0.0.1:9');
});

describe('inspect', () => {
  test('registered lists the tasks', async () => {
    const json = await celerity('inspect', 'registered', '--json');
    expect(JSON.parse(json.stdout).map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['add', 'sleep', 'progress']));
    const text = await celerity('inspect', 'registered');
    expect(text.stdout).toMatch(/^TASK\s+PARAMS\s+QUEUE/);
    expect(text.stdout).toMatch(/\nadd\s+x, y\s+celery/);
  });

  test('active and scheduled list running and delayed tasks', async () => {
    const running = (await celerity('call', 'sleep', '30')).stdout.trim();
    const delayed = (await celerity('call', 'add', '1', '1', '--countdown', '60')).stdout.trim();
    try {
      const listed = async (what: string, id: string) => {
        for (let attempt = 0; attempt < 30; attempt++) {
          const { stdout, code } = await celerity('inspect', what, '--json');
          expect(code).toBe(0);
          if (JSON.parse(stdout).some((t: { id: string }) => t.id === id)) return true;
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        return false;
      };
      expect(await listed('active', running)).toBe(true);
      expect(await listed('scheduled', delayed)).toBe(true);
      expect((await celerity('inspect', 'scheduled')).stdout).toContain(delayed);
    } finally {
      await Promise.all([running, delayed].map((id) => celerity('revoke', id, '--terminate')));
    }
  });

  test('queues and workers show the stack\'s worker polling its queues', async () => {
    const queues = await celerity('inspect', 'queues');
    expect(queues.code).toBe(0);
    expect(queues.stdout).toMatch(new RegExp(`${stack.config.workflowQueue}\\s+workflow\\s+\\d+`));
    const workers = JSON.parse((await celerity('inspect', 'workers', '--json')).stdout);
    const ours = workers.find((w: { queues: Array<{ name: string }> }) => w.queues.some((q) => q.name === stack.config.workflowQueue));
    expect(ours.identity).toContain(String(process.pid));
  });

  test('an unknown inspection exits 2 and lists the known ones', async () => {
    const unknown = await celerity('inspect', 'everything');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('registered, active, scheduled, queues, workers');
  });
});

test('schedule add, ls, trigger, pause, show and rm; a triggered run is found by GET /tasks?schedule_id=', async () => {
  const id = `cli-schedule-${Date.now()}`;
  const added = await celerity('schedule', 'add', id, 'add', '20', '22', '--schedule', 'every 1h', '--json');
  expect(added.code).toBe(0);
  expect(JSON.parse(added.stdout)).toMatchObject({ id, task: 'add', args: [20, 22], paused: false });
  try {
    expect((await celerity('schedule', 'ls')).stdout).toMatch(new RegExp(`${id}\\s+add\\s+active`));
    expect((await celerity('schedule', 'trigger', id)).code).toBe(0);
    let runs: Array<{ id: string; state: string }> = [];
    for (let attempt = 0; attempt < 40 && !runs.some((r) => r.state === 'SUCCESS'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      runs = (await stack.get(`/tasks?schedule_id=${id}`)).body.items;
    }
    expect(runs).toEqual([expect.objectContaining({ task: 'add', state: 'SUCCESS' })]);
    expect((await celerity('result', runs[0].id)).stdout).toBe('42\n');
    expect((await celerity('schedule', 'pause', id, '--note', 'maintenance')).code).toBe(0);
    expect((await celerity('schedule', 'show', id)).stdout).toContain('paused:    yes (maintenance)');
  } finally {
    expect(await celerity('schedule', 'rm', id)).toMatchObject({ code: 0, stdout: `deleted ${id}\n` });
  }
  expect((await celerity('schedule', 'show', id)).code).toBe(2);
});
