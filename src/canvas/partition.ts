/**
 * Partitioning (CANVAS.md rule 19): a collection too large for one workflow (a group's or
 * chain's children, a chord's header, a map's items) is run in parts by child workflows,
 * nested as deep as it takes, so that a workflow runs at most PARTITION_SIZE things itself
 * (task runs and child workflows) per collection. However large the canvas, no workflow nears
 * Temporal's limits on history length and size, or on pending activities and children. Pure:
 * planCanvas applies it, the canvas workflow runs what it gives.
 */
import { memberNumber, partitionId } from './ids.js';
import type { PartitionNode, PlannedNode } from './plan.js';

/**
 * Task runs and child workflows per collection in one workflow, and items per map activity. A
 * task run is 3 history events or so; 1,000 keeps a workflow's history far below Temporal's
 * 10,240-event warning, and a map's input, result and checkpoints small.
 */
export const PARTITION_SIZE = 1_000;

/**
 * Workflow task timeout of canvas and partition workflows. Replaying up to PARTITION_SIZE
 * members (after the worker evicts one from its cache) takes seconds on a busy machine; with
 * Temporal's 10 s default such a task times out, and its retry replays again: measured in
 * bench/README.md.
 */
export const CANVAS_WORKFLOW_TASK_TIMEOUT = '1 minute';

/** The error type a partition fails with when a member fails: the member's failure as its cause, the failed ids as its details. */
export const PARTITION_FAILURE = 'PartitionFailure';

/** The canvas with every collection costing more than `size` split into partitions. */
export function partition(node: PlannedNode, size = PARTITION_SIZE): PlannedNode {
  const fit = (child: PlannedNode) => partition(child, size);
  const callbacks = {
    ...(node.link ? { link: node.link.map(fit) } : {}),
    ...(node.linkError ? { linkError: node.linkError.map(fit) } : {}),
  };
  switch (node.kind) {
    case 'group':
    case 'chain': {
      const fitted = { ...node, ...callbacks, children: node.children.map(fit) };
      if (costOf(fitted) <= size) return fitted;
      const slice = (id: string, children: PlannedNode[]): PlannedNode => ({ kind: node.kind, id, children });
      return { ...fitted, children: [], parts: partitionsOf(node.id, pack(fitted.children, size), size, slice) };
    }
    case 'chord': {
      const fitted = { ...node, ...callbacks, header: node.header.map(fit), body: fit(node.body) };
      if (costOf(fitted) <= size) return fitted;
      // The header's parts are groups: the body gets their results concatenated, in order.
      const slice = (id: string, children: PlannedNode[]): PlannedNode => ({ kind: 'group', id, children });
      return { ...fitted, header: [], parts: partitionsOf(node.id, pack(fitted.header, size), size, slice) };
    }
    case 'map':
    case 'starmap': {
      const fitted = { ...node, ...callbacks };
      // A map is one activity however many items it has, but its items and results travel in that
      // activity's input, result and heartbeats: more than `size` of them are split into partitions.
      if (node.it.length <= size) return fitted;
      const numbering = node.itemIds ?? { prefix: node.id, offset: 0 };
      const starts = Array.from({ length: Math.ceil(node.it.length / size) }, (_, k) => k * size);
      const slice = (id: string, run: number[]): PlannedNode =>
        run.length
          ? { kind: node.kind, id, call: node.call, it: node.it.slice(run[0], run[0] + size), itemIds: { ...numbering, offset: numbering.offset + run[0] } }
          : { kind: node.kind, id, call: node.call, it: [] };
      return { ...fitted, it: [], parts: partitionsOf(node.id, starts.map((start) => [start]), size, slice) };
    }
    default:
      return { ...node, ...callbacks };
  }
}

/**
 * What one workflow runs itself for a node: task runs and child workflows, callbacks included.
 * A map or starmap is one task run (one activity for all its items), or none when it has no items.
 */
export function costOf(node: PlannedNode): number {
  const sum = (nodes: PlannedNode[]) => nodes.reduce((total, child) => total + costOf(child), 0);
  const callbacks = sum([...(node.link ?? []), ...(node.linkError ?? [])]);
  if (node.parts) return callbacks + node.parts.length + (node.kind === 'chord' ? costOf(node.body) : 0);
  switch (node.kind) {
    case 'task':
    case 'partition':
      return callbacks + 1;
    case 'map':
    case 'starmap':
      return callbacks + Math.min(1, node.it.length);
    case 'group':
    case 'chain':
      return callbacks + sum(node.children);
    case 'chord':
      return callbacks + sum(node.header) + costOf(node.body);
  }
}

/** Consecutive runs of nodes, each costing at most `size` (a node costing more runs alone). */
function pack(nodes: PlannedNode[], size: number): PlannedNode[][] {
  const runs: PlannedNode[][] = [];
  let cost = size;
  for (const node of nodes) {
    const own = costOf(node);
    if (cost + own > size) {
      runs.push([]);
      cost = 0;
    }
    runs[runs.length - 1].push(node);
    cost += own;
  }
  return runs;
}

/**
 * One partition per run (ids: ids.ts); with more runs than `size`, partitions
 * of partitions, so that no workflow starts more than `size` children.
 */
function partitionsOf<T extends PlannedNode | number>(
  parentId: string,
  runs: T[][],
  size: number,
  slice: (id: string, run: T[]) => PlannedNode,
): PartitionNode[] {
  const perPart = Math.ceil(runs.length / size);
  const parts: PartitionNode[] = [];
  for (let start = 0, k = 1; start < runs.length; start += perPart, k++) {
    const id = partitionId(parentId, k);
    const bundle = runs.slice(start, start + perPart);
    if (bundle.length === 1) {
      parts.push({ kind: 'partition', id, tree: slice(id, bundle[0]), ...holds(bundle[0]) });
    } else {
      const inner = partitionsOf(id, bundle, size, slice);
      // A slice without members of its own that runs its parts: the same kind of collection.
      const tree = { ...slice(id, []), parts: inner };
      const first = inner[0].holds;
      const last = inner[inner.length - 1].holds;
      parts.push({ kind: 'partition', id, tree, ...(first && last ? { holds: [first[0], last[1]] as [number, number] } : {}) });
    }
  }
  return parts;
}

/** The member numbers a run of members holds (a map's items are not members: none). */
function holds<T>(run: T[]): Pick<PartitionNode, 'holds'> {
  const nodes = run.filter((item): item is T & PlannedNode => typeof item === 'object');
  if (!nodes.length) return {};
  return { holds: [memberNumber(nodes[0].id)!, lastNumber(nodes[nodes.length - 1])] };
}

/** Members are numbered in the order the tree is written, so a subtree's last number is its largest. */
function lastNumber(node: PlannedNode): number {
  const inner: PlannedNode[] = [...(node.link ?? []), ...(node.linkError ?? []), ...(node.parts ?? [])];
  if (node.kind === 'group' || node.kind === 'chain') inner.push(...node.children);
  if (node.kind === 'chord') inner.push(...node.header, node.body);
  const own = node.kind === 'partition' ? (node.holds?.[1] ?? 0) : (memberNumber(node.id) ?? 0);
  return inner.reduce((last, child) => Math.max(last, lastNumber(child)), own);
}
