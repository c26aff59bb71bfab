/**
 * Walks over a planned canvas tree and over the members it gives, shared by the canvas
 * workflow (its `members` query) and the client (reading a canvas from its history). Pure.
 */
import { isInPartition, memberNumber } from './ids.js';
import type { PartitionNode, PlannedNode } from './plan.js';
import { tooLarge } from '../temporal/payload-marker.js';

/** A member planned inside a partition's tree, with its parent's id. */
export function findNode(node: PlannedNode, id: string, parentId: string): { node: PlannedNode; parentId: string } | undefined {
  if (node.id === id) return { node, parentId };
  const inner = [...childrenOf(node), ...callbacksOf(node), ...(node.kind === 'partition' ? [node.tree] : [])];
  for (const child of inner) {
    const found = findNode(child, id, node.id);
    if (found) return found;
  }
  return undefined;
}

/** Member `id` and its subtree, each member listing at most `limit` children (the first, and the last). */
export function subtree<M extends { children: string[] }>(members: Map<string, M>, id: string, limit: number): Array<M & { childrenTotal: number }> {
  const member = members.get(id);
  if (!member) return [];
  const { children } = member;
  // The first children and the last (a chain's last step, a chord's body).
  const kept = children.length > limit ? [...children.slice(0, limit - 1), children[children.length - 1]] : children;
  const shown = { ...member, children: kept, childrenTotal: children.length };
  return [shown, ...shown.children.flatMap((child) => subtree(members, child, limit))];
}

/** A member's link and link_error callbacks, as planned. */
export function callbacksOf(node: PlannedNode): PlannedNode[] {
  return [...(node.link ?? []), ...(node.linkError ?? [])];
}

/** A collection's members, or its partitions when it has them. */
export function childrenOf(node: PlannedNode): PlannedNode[] {
  if (node.kind === 'chain' || node.kind === 'group') return node.parts ?? node.children;
  if (node.kind === 'chord') return [...(node.parts ?? node.header), node.body];
  return node.parts ?? [];
}

/** The partition, among a workflow's own, whose workflow runs planned member `id` (its id or number tells). */
export function holderAmong(partitions: PartitionNode[], id: string): PartitionNode | undefined {
  const n = memberNumber(id);
  return partitions.find((p) => isInPartition(id, p.id) || (p.holds && n !== undefined && n >= p.holds[0] && n <= p.holds[1]));
}

/** The partitions a workflow runs itself for this tree (not those inside them). */
export function partitionsIn(node: PlannedNode): PartitionNode[] {
  const own = node.kind === 'partition' ? [node] : [];
  return [...own, ...[...childrenOf(node), ...callbacksOf(node)].flatMap(partitionsIn)];
}

/**
 * The answer with its largest values (a member's result, one of its args or kwargs) replaced by
 * a tooLarge marker until its JSON is at most `budget` characters; a member's shape is kept.
 */
export function withinBudget<M extends { result: unknown; args: unknown[]; kwargs: Record<string, unknown> }>(answer: M[], budget: number): M[] {
  const shown = answer.map((member) => ({ ...member, args: [...member.args], kwargs: { ...member.kwargs } }));
  const sizeOf = (value: unknown) => JSON.stringify(value)?.length ?? 0;
  const values = shown.flatMap((member) => [
    { size: sizeOf(member.result), elide: (marker: unknown) => { member.result = marker; } },
    ...member.args.map((arg, i) => ({ size: sizeOf(arg), elide: (marker: unknown) => { member.args[i] = marker; } })),
    ...Object.entries(member.kwargs).map(([key, value]) => ({ size: sizeOf(value), elide: (marker: unknown) => { member.kwargs[key] = marker; } })),
  ]);
  let total = sizeOf(shown);
  for (const value of values.sort((a, b) => b.size - a.size)) {
    if (total <= budget) break;
    const marker = tooLarge(value.size, budget);
    value.elide(marker);
    total -= value.size - sizeOf(marker);
  }
  return shown;
}
