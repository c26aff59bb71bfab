/**
 * A canvas's members as its workflow's history shows them, with no worker to answer the
 * `members` query: the tree is the plan in the workflow's input, a task or map member is what
 * its activity did, a partition what its child workflow did, and a chain, group, chord or a map
 * split into partitions what its members did, by the same rules the workflow follows (CANVAS.md). Pure.
 */
import { runSuffix } from '../canvas/ids.js';
import type { PlannedCanvas, PlannedNode } from '../canvas/plan.js';
import { callbacksOf, childrenOf } from '../canvas/tree.js';
import type { MemberState, MemberStateName } from '../../workflows/members.js';
import type { TaskError } from './state.js';

/** What one run (an activity, or a partition's workflow) did. */
export interface RunOutcome {
  state: MemberStateName;
  result: unknown;
  error: TaskError | null;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
  dateStarted: string | null;
  dateDone: string | null;
  /** The task members whose failure a failed partition reports, first the one it failed with. */
  failed?: string[];
}

export interface RunLookup {
  /** The activity run as `id`, if it was scheduled. */
  task(id: string): RunOutcome | undefined;
  /** The partition workflow `id` started by this workflow, if it was. */
  partition(id: string): RunOutcome | undefined;
  /** Whether anything ran with run suffix `suffix` or one inside it (a repeated callback's run, ids.ts). */
  ranWith(suffix: string): boolean;
}

type Member = MemberState & { failedIds?: string[] };

/**
 * The members of the workflow that runs `planned` with run suffix `suffix`, by id; `revokedAt`
 * (ISO) when the workflow was cancelled or terminated: what had not finished is then REVOKED.
 */
export function membersFromHistory(planned: PlannedCanvas, suffix: string, runs: RunLookup, revokedAt?: string): Map<string, MemberState> {
  const members = new Map<string, Member>();
  const { plans } = planned;

  const base = (node: PlannedNode, id: string, parentId: string | null): Member => plannedMember(node, id, parentId, plans);

  /** Marks what has not finished under a member that failed or was revoked, as the workflow does. */
  const settleUnfinished = (id: string, change: Partial<Member>): void => {
    const member = members.get(id)!;
    if (member.state === 'PENDING' || member.state === 'STARTED') Object.assign(member, change);
    member.children.forEach((child) => settleUnfinished(child, change));
  };

  const visit = (node: PlannedNode, runAs: string, parentId: string | null): Member => {
    const id = node.id + runAs;
    const member = base(node, id, parentId);
    members.set(id, member);
    const children = childrenOf(node).map((child) => visit(child, runAs, id));
    if (node.kind === 'chain') children.forEach((step, i) => i > 0 && (step.parentId = children[i - 1].id));
    Object.assign(member, outcomeOf(node, runAs, children));
    member.children = children.map((child) => child.id);
    if (member.state === 'FAILURE') settleUnfinished(id, { state: 'FAILURE', error: member.error, dateDone: member.dateDone });
    // Callbacks are children too, in the workflow's order: planned first, then the further runs of each link_error.
    member.children.push(...callbacksOf(node).map((callback) => visit(callback, runAs, id).id));
    for (const callback of node.linkError ?? []) {
      for (let n = 2; runs.ranWith(runSuffix(runAs, n)); n++) member.children.push(visit(callback, runSuffix(runAs, n), id).id);
    }
    return member;
  };

  const outcomeOf = (node: PlannedNode, runAs: string, children: Member[]): Partial<Member> => {
    const id = node.id + runAs;
    switch (node.kind) {
      case 'task':
        return runs.task(id) ?? {};
      case 'partition': {
        const outcome = runs.partition(id);
        return outcome ? { ...outcome, failedIds: outcome.failed } : {};
      }
      case 'map':
      case 'starmap':
        // Its items run in one activity; a large map's in its partitions, each giving a list.
        return node.it.length ? (runs.task(id) ?? {}) : together(children, 'chain', (results) => results.flat(1));
      case 'group':
        return together(children, 'group', (results) => (node.parts ? results.flat(1) : results));
      case 'chain':
        return together(children, 'chain', (results) => results[results.length - 1] ?? null);
      case 'chord': {
        const header = children.slice(0, -1);
        const body = children[children.length - 1];
        const headerOutcome = together(header, 'group', () => null);
        if (headerOutcome.state !== 'FAILURE') return { ...together(children, 'chain', () => body.result), result: body.result };
        // Rule 13: the chord fails with a ChordError naming the failed member; the body never runs.
        const failedId = firstFailedTask(header);
        const { error } = headerOutcome;
        const message = `Dependency ${failedId} raised ${error?.type}: ${error?.message}`;
        return { ...headerOutcome, error: { type: 'ChordError', message, traceback: null } };
      }
    }
  };

  /** The first failed task member under these members, as the workflow names it in a ChordError. */
  const firstFailedTask = (nodes: Member[]): string | undefined => {
    for (const member of nodes.filter((m) => m.state === 'FAILURE')) {
      if (member.kind === 'task') return member.id;
      if (member.failedIds?.length) return member.failedIds[0];
      const inner = firstFailedTask(member.children.map((child) => members.get(child)!).filter(Boolean));
      if (inner) return inner;
    }
    return undefined;
  };

  const root = visit(planned.tree, suffix, null);
  if (revokedAt) settleUnfinished(root.id, { state: 'REVOKED', dateDone: revokedAt });
  return members;
}

/** A member as planned, before it runs. */
export function plannedMember(node: PlannedNode, id: string, parentId: string | null, plans: PlannedCanvas['plans']): MemberState {
  const call = node.kind === 'task' ? node : node.kind === 'map' || node.kind === 'starmap' ? node.call : undefined;
  return {
    id, kind: node.kind, task: call?.task ?? node.kind, state: 'PENDING', result: null, error: null,
    args: call?.args ?? [], kwargs: call?.kwargs ?? {}, queue: call ? (plans[call.plan]?.queue ?? null) : null,
    parentId, children: [], childrenTotal: 0, dateStarted: null, dateDone: null,
  };
}

/**
 * A collection's state from its members': a chain fails at its first failed step, a group once
 * every member has finished, with its first failing member's error (rules 6 and 10).
 */
function together(members: MemberState[], as: 'chain' | 'group', result: (results: unknown[]) => unknown): Partial<MemberState> {
  const started = members.map((m) => m.dateStarted).filter((d): d is string => d !== null).sort();
  const done = members.map((m) => m.dateDone).filter((d): d is string => d !== null).sort();
  const dates = { dateStarted: started[0] ?? null, dateDone: done[done.length - 1] ?? null };
  const failed = members.find((m) => m.state === 'FAILURE');
  const unfinished = members.some((m) => m.state === 'PENDING' || m.state === 'STARTED');
  if (failed && (as === 'chain' || !unfinished)) return { state: 'FAILURE', error: failed.error, ...dates };
  if (members.some((m) => m.state === 'REVOKED') && !unfinished) return { state: 'REVOKED', ...dates };
  if (members.every((m) => m.state === 'SUCCESS')) return { state: 'SUCCESS', result: result(members.map((m) => m.result)), ...dates };
  return { state: started.length ? 'STARTED' : 'PENDING', dateStarted: dates.dateStarted, dateDone: null };
}
