import { registry } from '../../activities/index.js';
import { chain, chord, chunks, group, immutableSignature, signature } from '../../src/canvas/builders.js';
import { describeShape } from '../../src/canvas/model.js';
import { normalize } from '../../src/canvas/normalize.js';
import { CanvasError, parseCanvas, strictCallOptions } from '../../src/canvas/parse.js';
import { canvasSchema, type CanvasJson } from '../../src/canvas/schema.js';
import { rootOf } from '../../src/canvas/ids.js';
import { CanvasPlanError, planCanvas } from '../../src/canvas/plan.js';
import { callOptionsFromCelery } from '../../src/tasks/index.js';

const add = (...args: unknown[]) => signature('add', args);
const shape = (json: unknown) => describeShape(normalize(parseCanvas(json)));

describe('parseCanvas', () => {
  test("reads Celery's signature dict and the native form alike", () => {
    const celery = {
      task: 'celery.chain', args: [], options: {}, subtask_type: 'chain', immutable: false,
      kwargs: { tasks: [{ task: 'add', args: [2, 2], kwargs: {}, options: {}, subtask_type: null, immutable: false }, { task: 'mul', args: [4], kwargs: {}, options: {}, subtask_type: null, immutable: true }] },
    };
    expect(parseCanvas(celery)).toEqual(chain(add(2, 2), immutableSignature('mul', [4])));
    expect(parseCanvas({ chain: [{ task: 'add', args: [2, 2] }, { task: 'mul', args: [4], immutable: true }] })).toEqual(parseCanvas(celery));
  });

  test("a Celery chord's header may be a group signature; map, starmap and chunks use reserved names", () => {
    const header = { task: 'celery.group', subtask_type: 'group', kwargs: { tasks: [{ task: 'add', args: [1, 1] }] } };
    expect(parseCanvas({ task: 'celery.chord', subtask_type: 'chord', kwargs: { header, body: { task: 'xsum' } } })).toEqual(chord([add(1, 1)], signature('xsum')));
    expect(parseCanvas({ task: 'celery.map', kwargs: { task: { task: 'xsum' }, it: [[1]] } })).toMatchObject({ kind: 'map', it: [[1]] });
    expect(parseCanvas({ task: 'celery.chunks', kwargs: { task: { task: 'add' }, it: [[1, 1], [2, 2], [3, 3]], n: 2 } })).toEqual(
      chunks(signature('add'), [[1, 1], [2, 2], [3, 3]], 2),
    );
  });

  test('link and link_error take one signature or a list', () => {
    const parsed = parseCanvas({ task: 'add', args: [1, 1], options: { link: { task: 'mul', args: [2] }, link_error: [{ task: 'identity' }] } });
    expect(parsed.options.link).toEqual([signature('mul', [2])]);
    expect(parsed.options.link_error).toEqual([signature('identity')]);
  });

  test.each([
    [{ chain: [{ task: 'add' }, { args: [1] }] }, 'chain[1].task must name a task'],
    [{ group: [{ task: 'add', args: 'x' }] }, 'group[0].args must be an array'],
    [{ chord: { header: [], body: null } }, 'chord.body is required'],
    [{ chunks: { task: { task: 'add' }, it: [[1, 1]], n: 0 } }, 'chunks.n must be a whole number'],
    [{ starmap: { task: { task: 'add' }, it: [1] } }, 'starmap.it[0] must be an array'],
    [{ task: 'x', subtask_type: 'weird' }, 'subtask_type must be one of'],
    [{ task: 'add', options: { task_id: 'a b' } }, 'options.task_id may only contain'],
  ])('%j is refused naming the field: %s', (json, message) => {
    expect(() => parseCanvas(json)).toThrow(CanvasError);
    expect(() => parseCanvas(json)).toThrow(message);
  });

  test.each([
    [{ task: 'add', options: { countdown: -1 } }, 'options.countdown must not be less than 0'],
    [{ chain: [{ task: 'add', options: { link: { task: 'mul', options: { priority: 10 } } } }] }, 'chain[0].options.link[0].options.priority must be a whole number from 0 to 9'],
    [{ group: [{ task: 'add', options: { retries_please: 3 } }] }, 'group[0].options.retries_please is not a known field'],
    [{ task: 'add', options: { expires: -1 } }, 'options.expires must be an ISO 8601 time or a number of seconds (at least 0)'],
  ])('with the strict check, the call options schema refuses %j: %s', (json, message) => {
    expect(() => parseCanvas(json, strictCallOptions)).toThrow(message);
  });

  test('the documented schema and the parser agree on valid canvases of each form', () => {
    const forms: CanvasJson[] = [
      { task: 'add', args: [1, 1], options: { countdown: 1, link: [{ task: 'mul', args: [2] }] } },
      { chain: [{ task: 'add', args: [1, 1] }, { group: [{ task: 'mul', args: [2] }] }] },
      { chord: { header: [{ task: 'add', args: [1, 1] }], body: { task: 'xsum' } } },
      { chunks: { task: { task: 'add' }, it: [[1, 1]], n: 1 } },
      { task: 'celery.chain', subtask_type: 'chain', kwargs: { tasks: [{ task: 'add', args: [2, 2] }] } },
    ];
    for (const form of forms) {
      expect(canvasSchema.safeParse(form).success).toBe(true);
      expect(() => parseCanvas(form, strictCallOptions)).not.toThrow();
    }
  });

  test('every signature\'s options go through the given check, with their path', () => {
    const seen: string[] = [];
    parseCanvas(
      { chain: [{ task: 'add', options: { countdown: 1, link: { task: 'mul', options: { queue: 'q' } } } }] },
      (options, path) => seen.push(`${path}:${Object.keys(options)}`),
    );
    expect(seen).toEqual(['chain[0].options:countdown', 'chain[0].options.link[0].options:queue']);
  });
});

describe('normalize (Celery\'s upgrades)', () => {
  test('rule 7: nested chains flatten; a one-member group in a chain unrolls', () => {
    expect(normalize(chain(chain(add(1), add(2)), group(add(3))))).toEqual(chain(add(1), add(2), add(3)));
    expect(normalize(chain(add(1)))).toEqual(add(1));
  });

  test('rule 8: nested groups flatten', () => {
    expect(normalize(group(group(add(1), add(2)), add(3)))).toEqual(group(add(1), add(2), add(3)));
  });

  test('rule 14: group|task is a chord, task|group|task too, group|group a chord with a group body, chord|task extends the body', () => {
    expect(shape({ chain: [{ group: [{ task: 'add' }, { task: 'add' }] }, { task: 'xsum' }] })).toBe('chord([add, add], xsum)');
    expect(shape({ chain: [{ task: 'add' }, { group: [{ task: 'add' }, { task: 'mul' }] }, { task: 'xsum' }] })).toBe('chain(add, chord([add, mul], xsum))');
    expect(shape({ chain: [{ group: [{ task: 'add' }, { task: 'add' }] }, { group: [{ task: 'xsum' }, { task: 'identity' }] }] })).toBe('chord([add, add], group(xsum, identity))');
    expect(shape({ chain: [{ chord: { header: [{ task: 'add' }], body: { task: 'xsum' } } }, { task: 'mul' }] })).toBe('chord([add], chain(xsum, mul))');
  });
});

describe('planCanvas', () => {
  const plan = (canvas: Parameters<typeof planCanvas>[0]) =>
    planCanvas(normalize(canvas), { rootId: 'root', registry, now: new Date('2026-01-01T00:00:00Z'), callOptions: callOptionsFromCelery });

  test('members are <root>~<n> and lead back to their root', () => {
    const { tree } = plan(chain(add(1, 1), add(2)));
    expect(tree.id).toBe('root');
    expect(tree.kind === 'chain' && tree.children.map((c) => c.id)).toEqual(['root~1', 'root~2']);
    expect(rootOf('root~2')).toBe('root');
    expect(rootOf('root')).toBe('root');
  });

  test("a composite's call options reach its members and win; its own task_id does not", () => {
    const { tree, plans } = plan({ ...group(add(1, 1), signature('add', [1, 2], {}, { queue: 'mine' })), options: { queue: 'shared', task_id: 'x' } });
    expect(tree.kind === 'group' && tree.children.map((c) => c.kind === 'task' && plans[c.plan].queue)).toEqual(['shared', 'shared']);
    // Members with the same options share one plan, so a large canvas stays small.
    expect(plans).toHaveLength(1);
  });

  test("a link_error task taking more than one argument is marked to get (id, error, traceback), as Celery's errbacks", () => {
    const { tree } = plan({ ...add(1, 1), options: { link_error: [signature('identity'), signature('on_error')] } });
    expect(tree.linkError?.map((cb) => cb.kind === 'task' && cb.receivesError)).toEqual([undefined, true]);
  });

  test('an unknown task or arguments that cannot fit are refused, naming the member', () => {
    expect(() => plan(chain(add(1, 1), signature('nope')))).toThrow(CanvasPlanError);
    expect(() => plan(chain(add(1, 1), signature('nope')))).toThrow('chain[1].task: no task named "nope"');
    expect(() => plan(group(add(1, 2, 3)))).toThrow('group[0].task: add() takes 2 positional arguments');
    // A later chain step receives its parent's result, so one argument fewer is fine.
    expect(() => plan(chain(add(1, 1), add(2)))).not.toThrow();
  });
});
