import { registry } from '../../activities/index.js';
import { plannedIdOf, runSuffix, suffixOf } from '../../src/canvas/ids.js';
import { normalize } from '../../src/canvas/normalize.js';
import { parseCanvas } from '../../src/canvas/parse.js';
import { planCanvas } from '../../src/canvas/plan.js';
import { membersFromHistory, type RunLookup, type RunOutcome } from '../../src/client/canvas-history.js';
import { callOptionsFromCelery } from '../../src/tasks/index.js';

const t = (task: string, ...args: unknown[]) => ({ task, args });
const plan = (json: unknown) => planCanvas(normalize(parseCanvas(json)), { rootId: 'c', registry, now: new Date(), callOptions: callOptionsFromCelery });
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const ok = (result: unknown, s = 1): RunOutcome => ({ state: 'SUCCESS', result, error: null, dateStarted: at(s), dateDone: at(s + 1) });
const boom = { type: 'ExpectedError', message: 'boom', traceback: null };
const failed = (s = 1): RunOutcome => ({ state: 'FAILURE', result: null, error: boom, dateStarted: at(s), dateDone: at(s + 1) });
const running: RunOutcome = { state: 'STARTED', result: null, error: null, dateStarted: at(1), dateDone: null };

function lookup(tasks: Record<string, RunOutcome>): RunLookup {
  const ids = Object.keys(tasks);
  return {
    task: (id) => tasks[id],
    partition: () => undefined,
    ranWith: (suffix) => ids.some((id) => suffixOf(id) === suffix || suffixOf(id).startsWith(`${suffix}@`)),
  };
}

describe('run ids (ids.ts)', () => {
  test('the first run keeps the planned id, the n-th adds @n, and runs inside runs add theirs', () => {
    expect(runSuffix('', 1)).toBe('');
    expect(runSuffix('', 2)).toBe('@2');
    expect(runSuffix('@2', 3)).toBe('@2@3');
    expect(suffixOf('c~4@2@3')).toBe('@2@3');
    expect(plannedIdOf('c~4@2@3')).toBe('c~4');
    expect(suffixOf('c~4/7@2')).toBe('@2');
    expect(plannedIdOf('c~4')).toBe('c~4');
  });
});

describe('membersFromHistory', () => {
  test('rule 6: a chain fails at its failed step; later steps report its error and never started', () => {
    const members = membersFromHistory(plan({ chain: [t('add', 1, 1), t('fail'), t('add', 1)] }), '', lookup({ 'c~1': ok(2), 'c~2': failed(3) }));
    expect(members.get('c')).toMatchObject({ state: 'FAILURE', error: boom, dateStarted: at(1), children: ['c~1', 'c~2', 'c~3'] });
    expect(members.get('c~3')).toMatchObject({ state: 'FAILURE', error: boom, dateStarted: null, dateDone: at(4), parentId: 'c~2' });
  });

  test('rule 10: a group fails with its first failing member once every member has finished', () => {
    const group = plan({ group: [t('add', 1, 1), t('fail'), t('fail')] });
    expect(membersFromHistory(group, '', lookup({ 'c~1': running, 'c~2': failed() })).get('c')!.state).toBe('STARTED');
    const done = membersFromHistory(group, '', lookup({ 'c~1': ok(2), 'c~2': failed(), 'c~3': { ...failed(), error: { ...boom, message: 'second' } } }));
    expect(done.get('c')).toMatchObject({ state: 'FAILURE', error: boom });
  });

  test('rule 13: a failed header fails the chord with a ChordError naming the member; the body never runs', () => {
    const members = membersFromHistory(plan({ chord: { header: [t('add', 1, 1), t('fail')], body: t('xsum') } }), '', lookup({ 'c~1': ok(2), 'c~2': failed() }));
    const error = { type: 'ChordError', message: 'Dependency c~2 raised ExpectedError: boom', traceback: null };
    expect(members.get('c')).toMatchObject({ state: 'FAILURE', error });
    expect(members.get('c~3')).toMatchObject({ task: 'xsum', state: 'FAILURE', error, dateStarted: null });
  });

  test('results: a group lists them, a chord gives its body, a map its one activity', () => {
    expect(membersFromHistory(plan({ group: [t('add', 1, 1), t('add', 2, 2)] }), '', lookup({ 'c~1': ok(2), 'c~2': ok(4) })).get('c')!.result).toEqual([2, 4]);
    const chord = plan({ chord: { header: [t('add', 1, 1)], body: t('xsum') } });
    expect(membersFromHistory(chord, '', lookup({ 'c~1': ok(2), 'c~2': ok(2) })).get('c')).toMatchObject({ state: 'SUCCESS', result: 2 });
    const map = plan({ group: [{ map: { task: t('identity'), it: [1, 2] } }, t('add', 1, 1)] });
    expect(membersFromHistory(map, '', lookup({ 'c~1': ok([1, 2]) })).get('c~1')).toMatchObject({ state: 'SUCCESS', result: [1, 2] });
    expect(membersFromHistory(map, '', lookup({ 'c~1': running })).get('c~1')).toMatchObject({ state: 'STARTED' });
  });

  test('link_error: a run per failed task, each a child of the member it hangs on, after the planned one', () => {
    const planned = plan({ group: [t('fail'), t('fail')], options: { link_error: t('identity') } });
    const members = membersFromHistory(planned, '', lookup({ 'c~2': failed(), 'c~3': failed(), 'c~1': ok('c~2'), 'c~1@2': ok('c~3') }));
    expect(members.get('c')!.children).toEqual(['c~2', 'c~3', 'c~1', 'c~1@2']);
    expect(members.get('c~1@2')).toMatchObject({ state: 'SUCCESS', result: 'c~3', parentId: 'c' });
  });

  test('a cancelled or terminated workflow leaves what had not finished REVOKED', () => {
    const members = membersFromHistory(plan({ chain: [t('add', 1, 1), t('sleep', 9), t('add', 1)] }), '', lookup({ 'c~1': ok(2), 'c~2': running }), at(9));
    expect([...members.values()].map((m) => m.state)).toEqual(['REVOKED', 'SUCCESS', 'REVOKED', 'REVOKED']);
    expect(members.get('c~3')!.dateDone).toBe(at(9));
  });
});
