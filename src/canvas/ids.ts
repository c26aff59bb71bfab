/**
 * Canvas member ids: `<root id>~<n>`, numbered in the order the tree is written (a member before
 * its callbacks and children), so that any member id leads back to the workflow of its canvas
 * and, by its number, to the partition that runs it.
 */
const SEPARATOR = '~';

export function memberId(rootId: string, n: number): string {
  return `${rootId}${SEPARATOR}${n}`;
}

/**
 * The id of a collection's k-th partition (partition.ts): `<collection id>.<k>`, where the root
 * collection counts as member 0 (`<root>~0.<k>`), so that every id leads back to its root.
 */
export function partitionId(collectionId: string, k: number): string {
  return `${collectionId === rootOf(collectionId) ? memberId(collectionId, 0) : collectionId}.${k}`;
}

/** Whether `id` names a partition nested in partition `partition`. */
export function isInPartition(id: string, partition: string): boolean {
  return id.startsWith(`${partition}.`);
}

/** The canvas (root) id of a member id; a task's or canvas's own id is its root. */
export function rootOf(id: string): string {
  const at = id.indexOf(SEPARATOR);
  return at < 0 ? id : id.slice(0, at);
}

/** The number of a member id (`root~12`, and the ids under it: `root~12/3`, `root~12.2`): 12. */
export function memberNumber(id: string): number | undefined {
  const match = /^(\d+)/.exec(id.slice(rootOf(id).length + SEPARATOR.length));
  return match ? Number(match[1]) : undefined;
}
