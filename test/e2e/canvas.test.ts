/** Every rule of CANVAS.md over REST, against the real dev server. */
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const t = (task: string, ...args: unknown[]) => ({ task, args });
const si = (task: string, ...args: unknown[]) => ({ task, args, immutable: true });

async function run(canvas: unknown, timeout = 30) {
  const submitted = await stack.post('/tasks', canvas);
  if (submitted.status !== 202) throw new Error(`POST /tasks answered ${submitted.status}: ${JSON.stringify(submitted.body)}`);
  return (await stack.get(`/tasks/${submitted.body.id}/result?timeout=${timeout}`)).body;
}
const resultOf = async (canvas: unknown) => {
  const done = await run(canvas);
  expect(done.state).toBe('SUCCESS');
  return done.result;
};

describe('arguments', () => {
  test('rule 3: a chain prepends each result to the next step', async () => {
    expect(await resultOf({ chain: [t('add', 2, 2), t('mul', 4)] })).toBe(16);
  });

  test('rule 2: an immutable signature ignores its parent result', async () => {
    expect(await resultOf({ chain: [t('add', 2, 2), si('add', 1, 1)] })).toBe(2);
  });

  test('rule 1: kwargs of a step merge with its own', async () => {
    expect(await resultOf({ chain: [t('add', 1, 1), { task: 'echo', kwargs: { k: 1 } }] })).toEqual([[2], { k: 1 }]);
  });
});

describe('chain', () => {
  test('rule 5: the result is the last step, each step a member with its parent', async () => {
    const done = await run({ chain: [t('add', 1, 1), t('add', 10)], options: { task_id: `chain-${Date.now()}` } });
    expect(done).toMatchObject({ state: 'SUCCESS', result: 12, task: 'chain' });
    const [first, second] = done.children;
    expect(first).toMatchObject({ task: 'add', state: 'SUCCESS', result: 2, args: [1, 1] });
    expect(second).toMatchObject({ task: 'add', state: 'SUCCESS', result: 12, args: [2, 10], parent_id: first.id });
    const member = (await stack.get(`/tasks/${second.id}`)).body;
    expect(member).toMatchObject({ id: second.id, state: 'SUCCESS', result: 12 });
  });

  test('rule 6: a failing step stops the chain; later steps report its error', async () => {
    const done = await run({ chain: [t('add', 1, 1), t('fail'), t('add', 1)] });
    expect(done).toMatchObject({ state: 'FAILURE', error: { type: 'ExpectedError' } });
    const [, failed, later] = done.children;
    expect(failed).toMatchObject({ state: 'FAILURE', error: { type: 'ExpectedError' } });
    expect(later).toMatchObject({ state: 'FAILURE', error: { type: 'ExpectedError' }, date_started: null });
  });

  test('rule 7: nested chains flatten; a one-member group unrolls', async () => {
    const done = await run({ chain: [{ chain: [t('add', 1, 1), t('add', 1)] }, { group: [t('add', 1)] }] });
    expect(done.result).toBe(4);
    expect(done.children).toHaveLength(3);
  });
});

describe('group', () => {
  test('rule 8: results in submission order; nested groups flatten; an empty group gives []', async () => {
    expect(await resultOf({ group: [t('sleep', 0.6), t('sleep', 0.1)] })).toEqual([0.6, 0.1]);
    expect(await resultOf({ group: [{ group: [t('add', 1, 1), t('add', 2, 2)] }, t('add', 3, 3)] })).toEqual([2, 4, 6]);
    expect(await resultOf({ group: [] })).toEqual([]);
  });

  test('rule 9: partial args (a parent result) go to every member', async () => {
    expect(await resultOf({ chain: [t('add', 1, 1), { group: [t('add', 10), t('add', 20)] }] })).toEqual([12, 22]);
  });

  test('rule 10: a failing member does not stop the others; the group fails with it', async () => {
    const done = await run({ group: [t('fail', 'first'), t('sleep', 0.3), t('fail', 'second')] });
    expect(done).toMatchObject({ state: 'FAILURE', error: { type: 'ExpectedError', message: 'first' } });
    expect(done.children.map((c: { state: string }) => c.state)).toEqual(['FAILURE', 'SUCCESS', 'FAILURE']);
    expect(done.children[1].result).toBe(0.3);
  });
});

describe('chord', () => {
  test('rule 11: the body gets the header results first, then its own args; an empty header gives []', async () => {
    expect(await resultOf({ chord: { header: [t('add', 1, 1), t('add', 2, 2)], body: t('xsum') } })).toBe(6);
    expect(await resultOf({ chord: { header: [t('identity', 1), t('identity', 2)], body: t('echo', 'own') } })).toEqual([[[1, 2], 'own'], {}]);
    expect(await resultOf({ chord: { header: [], body: t('xsum') } })).toBe(0);
  });

  test('rule 12: partial args go to each header member; the result is the body', async () => {
    expect(await resultOf({ chain: [t('add', 1, 1), { chord: { header: [t('add', 1), t('add', 2)], body: t('xsum') } }] })).toBe(7);
  });

  test('rule 13: a failed header member fails the chord with a ChordError naming it; the body never runs', async () => {
    const done = await run({ chord: { header: [t('add', 1, 1), t('fail', 'boom')], body: t('xsum') } });
    expect(done.state).toBe('FAILURE');
    expect(done.error.type).toBe('ChordError');
    const failed = done.children[1];
    expect(done.error.message).toContain(failed.id);
    expect(done.error.message).toContain('boom');
    expect(done.children[0].state).toBe('SUCCESS');
    expect(done.children[2]).toMatchObject({ task: 'xsum', state: 'FAILURE', date_started: null });
  });

  test('rule 14: chain upgrades: group|task, task|group|task, group|group, chord|task', async () => {
    expect(await resultOf({ chain: [{ group: [t('add', 1, 1), t('add', 2, 2)] }, t('xsum')] })).toBe(6);
    expect(await resultOf({ chain: [t('add', 1, 1), { group: [t('add', 1), t('add', 2)] }, t('xsum')] })).toBe(7);
    expect(await resultOf({ chain: [{ group: [t('add', 1, 1), t('add', 2, 2)] }, { group: [t('xsum'), t('identity')] }] })).toEqual([6, [2, 4]]);
    expect(await resultOf({ chain: [{ chord: { header: [t('add', 1, 1)], body: t('xsum') } }, t('add', 10)] })).toBe(12);
  });

  test('rule 15: nested results: chord in a header, chain in a group, chain ending in a group', async () => {
    expect(await resultOf({ group: [{ chord: { header: [t('add', 1, 1), t('add', 1, 1)], body: t('xsum') } }, t('add', 0, 1)] })).toEqual([4, 1]);
    expect(await resultOf({ group: [{ chain: [t('add', 1, 1), t('mul', 10)] }, t('add', 0, 0)] })).toEqual([20, 0]);
    expect(await resultOf({ group: [{ chain: [t('add', 1, 1), { group: [t('add', 1), t('add', 2)] }] }, t('add', 0, 0)] })).toEqual([[3, 4], 0]);
  });
});

describe('map, starmap, chunks', () => {
  test('rule 16: map calls task(x), starmap task(*x), in order, as one member whose result is the list', async () => {
    const done = await run({ map: { task: t('xsum'), it: [[1, 2], [3, 4]] } });
    expect(done).toMatchObject({ state: 'SUCCESS', result: [3, 7], task: 'xsum' });
    expect(await resultOf({ starmap: { task: t('add'), it: [[1, 2], [3, 4]] } })).toEqual([3, 7]);
  });

  test('rule 17: chunks split it into runs of n, a group of starmaps, a list of lists', async () => {
    expect(await resultOf({ chunks: { task: t('add'), it: [[1, 1], [2, 2], [3, 3]], n: 2 } })).toEqual([[2, 4], [6]]);
  });
});

describe('link and link_error', () => {
  test('rule 18: link runs on success with the result; link_error once on failure with the failed id', async () => {
    const ok = await run({ task: 'add', args: [2, 3], options: { link: t('mul', 10) } });
    expect(ok).toMatchObject({ state: 'SUCCESS', result: 5 });
    expect(ok.children[0]).toMatchObject({ task: 'mul', state: 'SUCCESS', result: 50 });

    const failed = await run({ chain: [t('add', 1, 1), t('fail', 'nope')], options: { link_error: t('identity') } });
    expect(failed.state).toBe('FAILURE');
    const failedStep = failed.children[1];
    const errback = failed.children.find((c: { task: string }) => c.task === 'identity');
    expect(errback).toMatchObject({ state: 'SUCCESS', result: failedStep.id });
  });

  test('rule 18: a link_error task that asks for more gets the failed id, the error and the traceback', async () => {
    const failed = await run({ group: [t('add', 1, 1), t('fail', 'nope')], options: { link_error: t('on_error') } });
    expect(failed.state).toBe('FAILURE');
    const failedMember = failed.children[1];
    const errback = failed.children.find((c: { task: string }) => c.task === 'on_error');
    expect(errback).toMatchObject({ state: 'SUCCESS', result: `${failedMember.id} raised ExpectedError: nope (traceback kept)` });
  });
});

describe('Celery signature dicts and errors', () => {
  test("Celery's own JSON for a chain runs unchanged", async () => {
    const celeryChain = {
      task: 'celery.chain', args: [], options: {}, subtask_type: 'chain', immutable: false,
      kwargs: { tasks: [
        { task: 'add', args: [2, 2], kwargs: {}, options: {}, subtask_type: null, immutable: false },
        { task: 'mul', args: [4], kwargs: {}, options: {}, subtask_type: null, immutable: false },
      ] },
    };
    expect(await resultOf(celeryChain)).toBe(16);
  });

  test('a bad canvas is refused whole, naming the member: nothing starts', async () => {
    const unknown = await stack.post('/tasks', { chain: [t('add', 1, 1), t('no_such_task')] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('chain[1].task');
    const badOption = await stack.post('/tasks', { group: [{ task: 'add', args: [1, 1], options: { countdown: -1 } }] });
    expect(badOption.status).toBe(400);
    expect(badOption.body.message).toContain('group[0].options.countdown');
    const badShape = await stack.post('/tasks', { chord: { header: 'nope', body: t('xsum') } });
    expect(badShape.status).toBe(400);
    expect(badShape.body.message).toContain('chord.header must be an array');
  });

  test('revoking a canvas revokes what has not finished', async () => {
    const submitted = await stack.post('/tasks', { chain: [t('sleep', 30), t('add', 1)] });
    const id = submitted.body.id;
    for (let i = 0; i < 100 && (await stack.get(`/tasks/${id}`)).body.children?.[0]?.state !== 'STARTED'; i++) await new Promise((r) => setTimeout(r, 100));
    await stack.post(`/tasks/${id}/revoke`, {});
    const done = (await stack.get(`/tasks/${id}/result?timeout=10`)).body;
    expect(done.state).toBe('REVOKED');
    expect(done.children.map((c: { state: string }) => c.state)).toEqual(['REVOKED', 'REVOKED']);
  });
});

describe('revoke', () => {
  test('an unfinished member answers 409 naming its canvas, which is revoked whole', async () => {
    const submitted = await stack.post('/tasks', { group: [t('sleep', 30), t('sleep', 30)] });
    const member = `${submitted.body.id}~1`;
    const refused = await stack.post(`/tasks/${member}/revoke`, { terminate: true });
    expect(refused).toMatchObject({ status: 409, body: { message: `${member} is a member of canvas ${submitted.body.id}; revoke the canvas instead (POST /tasks/${submitted.body.id}/revoke)` } });
    const revoked = await stack.post(`/tasks/${submitted.body.id}/revoke`, { terminate: true });
    expect(revoked.body).toMatchObject({ state: 'REVOKED', reason: 'terminated' });
  });
});
