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

/**
 * A planned member can run more than once (a link_error callback runs once per failed task,
 * and so does everything inside it): its first run has the planned id, its n-th run (n > 1)
 * `<planned id>@<n>`, and every member inside a run carries that run's suffix, so that
 * each run has an id (and an activity or workflow id) of its own: `root~4@2`, `root~6@2@3`.
 */
const RUN_SEPARATOR = '@';

/** The suffix of the n-th run (from 1) of a callback run under `suffix`. */
export function runSuffix(suffix: string, n: number): string {
  return n === 1 ? suffix : `${suffix}${RUN_SEPARATOR}${n}`;
}

/** The repeated-run suffix of a member id (`root~4@2` → `@2`), '' for a first run. */
export function suffixOf(id: string): string {
  const rest = id.slice(rootOf(id).length);
  const at = rest.indexOf(RUN_SEPARATOR);
  return at < 0 ? '' : rest.slice(at);
}

/** The planned member a run's id names (`root~4@2` → `root~4`). */
export function plannedIdOf(id: string): string {
  const suffix = suffixOf(id);
  return suffix ? id.slice(0, id.length - suffix.length) : id;
}

/** The number of a member id (`root~12`, and the ids under it: `root~12/3`, `root~12.2`): 12. */
export function memberNumber(id: string): number | undefined {
  const match = /^(\d+)/.exec(id.slice(rootOf(id).length + SEPARATOR.length));
  return match ? Number(match[1]) : undefined;
}
