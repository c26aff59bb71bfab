/**
 * The members of one canvas workflow (or partition) and their states, as its `members` and
 * `locate` queries answer them. The interpreter (canvas-run.ts) settles them as they run.
 * Deterministic: dates are workflow time.
 */
import { plannedIdOf, suffixOf } from '../src/canvas/ids.js';
import type { PartitionNode, PlannedNode } from '../src/canvas/plan.js';
import { callbacksOf, childrenOf, findNode, holderAmong, subtree, withinBudget } from '../src/canvas/tree.js';
import type { ActivityPlan } from '../src/tasks/options.js';

export type MemberStateName = 'PENDING' | 'STARTED' | 'SUCCESS' | 'FAILURE' | 'REVOKED';

/** One member as the canvas workflow knows it. */
export interface MemberState {
  id: string;
  kind: PlannedNode['kind'];
  /** The task's name, or the composite's kind. */
  task: string;
  state: MemberStateName;
  result: unknown;
  error: { type: string; message: string; traceback: string | null } | null;
  args: unknown[];
  kwargs: Record<string, unknown>;
  queue: string | null;
  parentId: string | null;
  children: string[];
  childrenTotal: number;
  /** Workflow time, ISO. */
  dateStarted: string | null;
  dateDone: string | null;
}

export class Members {
  private readonly states = new Map<string, MemberState>();
  /** The partitions this workflow runs itself, and the runs of them started (their ids). */
  private readonly partitions: PartitionNode[] = [];
  private readonly startedPartitions = new Set<string>();

  /** `ownSuffix`: the run suffix (ids.ts) of the workflow's own members, when it runs inside a repeated callback. */
  constructor(private readonly plans: ActivityPlan[], private readonly ownSuffix: string) {}

  get(id: string): MemberState {
    return this.states.get(id)!;
  }

  /** Registers `node` run as `<its id><suffix>` and everything under it; a partition's members are its own workflow's. */
  register(node: PlannedNode, parentId: string | null, suffix: string): void {
    this.states.set(node.id + suffix, this.planned(node, parentId, suffix));
    if (node.kind === 'partition' && suffix === this.ownSuffix) this.partitions.push(node);
    [...childrenOf(node), ...callbacksOf(node)].forEach((child) => this.register(child, node.id + suffix, suffix));
  }

  /** A callback's repeated run (ids.ts): a member of its own, under the member it hangs on. */
  registerRun(callback: PlannedNode, parentId: string, suffix: string): void {
    if (this.states.has(callback.id + suffix)) return;
    this.register(callback, parentId, suffix);
    this.get(parentId).children.push(callback.id + suffix);
  }

  partitionStarted(id: string): void {
    this.startedPartitions.add(id);
  }

  /** Changes a member; a new state dates it: STARTED its start, any other its end. */
  settle(id: string, change: Partial<MemberState>): void {
    const member = { ...this.get(id), ...change };
    const now = new Date().toISOString();
    if (change.state === 'STARTED') member.dateStarted = now;
    else if (change.state) member.dateDone = now;
    this.states.set(id, member);
  }

  /** Settles a member and everything under it that has not finished. */
  settleUnfinished(node: PlannedNode, suffix: string, change: Partial<MemberState>): void {
    if (['PENDING', 'STARTED'].includes(this.get(node.id + suffix).state)) this.settle(node.id + suffix, change);
    childrenOf(node).forEach((child) => this.settleUnfinished(child, suffix, change));
  }

  /** The `members` query's answer: member `id` and its subtree, within `budget` JSON characters if given. */
  answer(id: string, limit: number, budget?: number): MemberState[] {
    const answer = this.subtreeOf(id, limit);
    return budget === undefined ? answer : withinBudget(answer, budget);
  }

  /** The `locate` query's answer: the started partition run that holds member `id`, or null. */
  locate(id: string): string | null {
    const holder = holderAmong(this.partitions, plannedIdOf(id));
    return (holder && this.holderRun(holder, id)) ?? null;
  }

  private subtreeOf(id: string, limit: number): MemberState[] {
    if (this.states.has(id)) return subtree(this.states, id, limit);
    const holder = holderAmong(this.partitions, plannedIdOf(id));
    if (!holder || this.holderRun(holder, id) || !this.states.has(holder.id + suffixOf(id))) return [];
    // A member of a partition not started yet: what the plan says, in the partition's state.
    const found = findNode(holder.tree, plannedIdOf(id), holder.id);
    const { state, error } = this.get(holder.id + suffixOf(id));
    return found ? [{ ...this.planned(found.node, found.parentId + suffixOf(id), suffixOf(id)), state, error, children: [] }] : [];
  }

  /** The run of partition `holder` whose members' ids end as `id` does: its suffix is the longest that starts `id`'s. */
  private holderRun(holder: PartitionNode, id: string): string | undefined {
    const suffix = suffixOf(id);
    const runs = [...this.startedPartitions].filter((run) => plannedIdOf(run) === holder.id && suffix.startsWith(suffixOf(run)));
    return runs.sort((a, b) => b.length - a.length)[0];
  }

  /** A member as planned, PENDING. */
  private planned(node: PlannedNode, parentId: string | null, suffix: string): MemberState {
    const call = node.kind === 'task' ? node : node.kind === 'map' || node.kind === 'starmap' ? node.call : undefined;
    return {
      id: node.id + suffix, kind: node.kind, task: call?.task ?? node.kind, state: 'PENDING', result: null, error: null,
      args: call?.args ?? [], kwargs: call?.kwargs ?? {}, queue: call ? this.plans[call.plan].queue : null,
      // Callbacks are children too, as in Celery's AsyncResult.children.
      parentId, children: [...childrenOf(node), ...callbacksOf(node)].map((child) => child.id + suffix), childrenTotal: 0, dateStarted: null, dateDone: null,
    };
  }
}
