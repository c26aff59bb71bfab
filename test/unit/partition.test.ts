import { registry } from '../../activities/index.js';
import { chain, chord, chunks, group, signature } from '../../src/canvas/builders.js';
import { memberNumber, partitionId, rootOf } from '../../src/canvas/ids.js';
import type { Canvas } from '../../src/canvas/model.js';
import { normalize } from '../../src/canvas/normalize.js';
import { costOf, partition, PARTITION_SIZE } from '../../src/canvas/partition.js';
import { planCanvas, type PlannedNode } from '../../src/canvas/plan.js';
import { callOptionsFromCelery } from '../../src/tasks/index.js';

const plan = (canvas: Canvas) =>
  planCanvas(normalize(canvas), { rootId: 'root', registry, now: new Date('2026-01-01T00:00:00Z'), callOptions: callOptionsFromCelery }).tree;
const adds = (n: number) => Array.from({ length: n }, (_, i) => signature('add', [i, i]));
const parts = (node: PlannedNode) => node.parts ?? [];

/** Every workflow's own cost (the root's and each partition's), and every task member id, in order. */
function walk(tree: PlannedNode): { costs: number[]; ids: string[] } {
  const costs: number[] = [];
  const ids: string[] = [];
  const visit = (node: PlannedNode): void => {
    if (node.kind === 'task') ids.push(node.id);
    if (node.kind === 'partition') {
      costs.push(costOf(node.tree));
      visit(node.tree);
      return;
    }
    const inner = node.kind === 'group' || node.kind === 'chain' ? node.children : node.kind === 'chord' ? [...node.header, node.body] : [];
    [...parts(node), ...inner, ...(node.link ?? [])].forEach(visit);
  };
  costs.push(costOf(tree));
  visit(tree);
  return { costs, ids };
}

describe('partition', () => {
  test('a collection within PARTITION_SIZE runs in its own workflow', () => {
    const tree = plan(group(...adds(PARTITION_SIZE)));
    expect(tree.parts).toBeUndefined();
    expect(costOf(tree)).toBe(PARTITION_SIZE);
  });

  test('a chord of 10,000 runs its header in 10 partitions of 1,000, the body in the root', () => {
    const tree = plan(chord(adds(10_000), signature('xsum')));
    if (tree.kind !== 'chord') throw new Error(tree.kind);
    expect(tree.header).toEqual([]);
    expect(parts(tree).map((p) => p.id)).toEqual(Array.from({ length: 10 }, (_, k) => `root~0.${k + 1}`));
    expect(parts(tree).map((p) => p.holds)).toEqual(Array.from({ length: 10 }, (_, k) => [k * 1000 + 1, k * 1000 + 1000]));
    expect(parts(tree).every((p) => p.tree.kind === 'group' && p.tree.children.length === 1000)).toBe(true);
    const { costs, ids } = walk(tree);
    // The tasks are all there, in order, and no workflow runs more than 1,000 things itself.
    expect(ids).toEqual([...Array.from({ length: 10_000 }, (_, i) => `root~${i + 1}`), 'root~10001']);
    expect(Math.max(...costs)).toBeLessThanOrEqual(PARTITION_SIZE + 1);
  });

  test('with more parts than PARTITION_SIZE, partitions of partitions: no workflow starts more children', () => {
    // With a size of 2, a group of 25 needs 13 parts: more than 2, so they nest, 2 by 2.
    const tree = partition(plan(group(...adds(25))), 2);
    const { costs, ids } = walk(tree);
    expect(Math.max(...costs)).toBe(2);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `root~${i + 1}`));
    const [firstPart] = parts(tree);
    expect(firstPart.id).toBe('root~0.1');
    expect(parts(firstPart.tree)[0].id).toBe('root~0.1.1');
    // A nested part holds the members of all its parts.
    expect(parts(tree).map((p) => p.holds)).toEqual([[1, 14], [15, 25]]);
  });

  test('a chain too long for one workflow runs its steps in parts, in order', () => {
    const tree = plan(chain(...adds(2_500)));
    expect(parts(tree).map((p) => [p.tree.kind, p.holds])).toEqual([
      ['chain', [1, 1000]],
      ['chain', [1001, 2000]],
      ['chain', [2001, 2500]],
    ]);
  });

  test("a map's items are split in order, and keep the map's item ids", () => {
    const tree = plan({ kind: 'map', task: signature('identity'), it: Array.from({ length: 2_500 }, (_, i) => i), options: {} });
    const [first, , last] = parts(tree);
    expect(tree.kind === 'map' && tree.it).toEqual([]);
    expect(first.tree).toMatchObject({ kind: 'map', it: Array.from({ length: 1000 }, (_, i) => i), itemIds: { prefix: 'root', offset: 0 } });
    expect(last.tree).toMatchObject({ kind: 'map', itemIds: { prefix: 'root', offset: 2000 } });
    expect(last.tree.kind === 'map' && last.tree.it).toHaveLength(500);
    expect(first.holds).toBeUndefined();
  });

  test('a map is one task run: chunks of 10,000 items by 100 is one workflow running 100 activities', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => [i, i]);
    const tree = plan(chunks(signature('add'), items, 100));
    expect(tree.parts).toBeUndefined();
    expect(costOf(tree)).toBe(100);
    const map = plan({ kind: 'map', task: signature('identity'), it: Array.from({ length: PARTITION_SIZE }, (_, i) => i), options: {} });
    expect([map.parts, costOf(map)]).toEqual([undefined, 1]);
    expect(costOf(plan({ kind: 'map', task: signature('identity'), it: [], options: {} }))).toBe(0);
  });

  test('partition ids lead back to the root and to the member they hold', () => {
    expect(partitionId('root', 3)).toBe('root~0.3');
    expect(partitionId('root~7', 2)).toBe('root~7.2');
    expect(partitionId('root~7.2', 5)).toBe('root~7.2.5');
    expect(rootOf('root~7.2.5')).toBe('root');
    expect(memberNumber('root~7.2.5')).toBe(7);
    expect(memberNumber('root~12')).toBe(12);
    expect(memberNumber('root')).toBeUndefined();
  });
});
