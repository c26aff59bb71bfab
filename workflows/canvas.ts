/**
 * The workflow behind a canvas (chain, group, chord, map, starmap, chunks, link, link_error):
 * it interprets the planned tree with Celery 5's rules (CANVAS.md) and runs every task member
 * through runTask, so members keep every task semantic. Each member's state is kept here and
 * answered by the `members` query. Deterministic: no I/O, no clock but workflow time.
 */
import {
  ApplicationFailure, CancelledFailure, ChildWorkflowFailure, defineQuery, executeChild, isCancellation, proxyLocalActivities, setHandler, sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { plannedIdOf, runSuffix, suffixOf } from '../src/canvas/ids.js';
import type { Canvas } from '../src/canvas/model.js';
import { callbacksOf, childrenOf, findNode, holderAmong, subtree, withinBudget } from '../src/canvas/tree.js';
import { CANVAS_WORKFLOW_TASK_TIMEOUT, PARTITION_FAILURE } from '../src/canvas/partition.js';
import type { PartitionNode, PlanActivities, PlannedCall, PlannedCanvas, PlannedNode } from '../src/canvas/plan.js';
import { MAP_ACTIVITY, mapPlan, STARMAP_ACTIVITY } from '../src/tasks/map-call.js';
import { anchorExpiry } from '../src/tasks/options.js';
import {
  INPUT_TOO_LARGE_ADVICE, isTooLarge, RESULTS_TOO_LARGE_ADVICE, START_TOO_LARGE_ADVICE, tooLargeFailure,
} from '../src/temporal/payload-marker.js';
import { runTask, type TaskInput } from './task.js';

/**
 * A planned tree (sent by the client, ids known), or a canvas to plan when the run starts (a
 * schedule's runs, whose workflow ids Temporal gives).
 */
export type CanvasInput = PlannedCanvas | { canvas: Canvas };

/** What the child workflow of a partition (src/canvas/partition.ts) is started with. */
export interface PartitionInput extends PlannedCanvas {
  /** Arguments prepended for its members: a group's or chord's partial args, a chain's carried result. */
  partial: unknown[];
  /** The run suffix of its members (ids.ts) when it runs inside a repeated callback. */
  suffix?: string;
}

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

/**
 * The member `id` (the canvas by default) and everything under it, each member listing at most
 * `limit` children (`childrenTotal` tells how many there are), so that a large canvas still
 * fits a query's answer. With `budget`, the largest results, arguments and kwargs are replaced
 * by `tooLarge(size in JSON characters, budget)` until the answer's JSON fits it: the client
 * asks so when the whole answer was over the payload limit.
 */
export const membersQuery = defineQuery<MemberState[], [string?, number?, number?]>('members');

/**
 * The id of the partition workflow that holds member `id` when this workflow does not; null
 * when no partition of this workflow does, or when it has not started (then `members`
 * answers for the member itself, PENDING).
 */
export const locateQuery = defineQuery<string | null, [string]>('locate');

/**
 * Task members pending at once in one workflow: far below Temporal's 2,000 pending activities,
 * and few enough that each workflow task stays short (measured: bench/README.md).
 */
const MAX_IN_FLIGHT = 200;

/**
 * Partitions running at once under one workflow. The server, not the worker, is what limits
 * throughput (bench/README.md), so more at once only lengthens each workflow task; 4 keeps
 * the members in flight (and the workflows in the worker's cache) bounded at any size.
 */
const MAX_PARTITIONS_IN_FLIGHT = 4;

/** A fixed number of slots, handed out in request order (deterministic: no timers, no clock). */
class Slots {
  private readonly waiting: Array<() => void> = [];
  constructor(private free: number) {}

  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** A task member that failed, as link_error callbacks are told. */
interface FailedMember {
  id: string;
  error: MemberState['error'];
}

/** A member failed: the error to report, and the task members that failed. */
class MemberFailure extends Error {
  constructor(readonly failure: ApplicationFailure, readonly failed: FailedMember[]) {
    super(failure.message);
  }

  /** The failure of one task member. */
  static of(failure: ApplicationFailure, id: string): MemberFailure {
    return new MemberFailure(failure, [{ id, error: errorOf(failure) }]);
  }
}

/** The workflow of a canvas sent over REST or by the client; its id is the canvas's task id. */
export async function canvas(input: CanvasInput): Promise<unknown> {
  // Started past the client's check (a schedule's runs): the codec stood in for an input over the limit.
  if (isTooLarge(input)) throw tooLargeFailure(`the input of canvas ${workflowInfo().workflowId}`, input, START_TOO_LARGE_ADVICE);
  return 'tree' in input ? runPlanned(input) : runCanvas(input.canvas);
}

/** The workflow of one partition of a large canvas; its id is the partition's. */
export async function canvasPartition(input: PartitionInput): Promise<unknown> {
  // Its partial args (a chain's carried result) with its part of the tree were over the limit.
  if (isTooLarge(input)) {
    throw tooLargeFailure(`the input of ${workflowInfo().workflowId} (its members and the arguments passed to them)`, input, INPUT_TOO_LARGE_ADVICE);
  }
  try {
    return await interpret(input, input.partial, input.suffix);
  } catch (err) {
    if (!(err instanceof MemberFailure)) throw err;
    throw ApplicationFailure.create({
      type: PARTITION_FAILURE, message: err.failure.message, nonRetryable: true, details: [err.failed], cause: err.failure,
    });
  }
}

/**
 * Runs a canvas inside any workflow, Celerity's or yours (Celery's `apply_async` on a canvas,
 * but durable and in-line): the worker checks and plans it against its task registry in a
 * local activity, then this workflow interprets it. The members are answered by the
 * `members` query of the calling workflow. Member ids are `<workflow id>~<n>`.
 */
export async function runCanvas(canvas: Canvas): Promise<unknown> {
  const { planCanvas: plan } = proxyLocalActivities<PlanActivities>({ startToCloseTimeout: '1 minute' });
  return runPlanned(await plan(canvas, workflowInfo().workflowId));
}

/** A canvas run by Celerity's workflow or yours: fails with its failing member's own error. */
async function runPlanned(planned: PlannedCanvas): Promise<unknown> {
  try {
    return await interpret(planned, []);
  } catch (err) {
    // The canvas fails with its failing member's own error, as Celery's result would raise.
    throw err instanceof MemberFailure ? err.failure : err;
  }
}

/** The interpreter shared by every canvas workflow and partition. */
async function interpret({ tree, plans }: PlannedCanvas, partial: unknown[], ownSuffix = ''): Promise<unknown> {
  const members = new Map<string, MemberState>();
  const partitions: PartitionNode[] = [];
  const startedPartitions = new Set<string>();
  const callbacks: Promise<unknown>[] = [];
  const slots = new Slots(MAX_IN_FLIGHT);
  const partitionSlots = new Slots(MAX_PARTITIONS_IN_FLIGHT);
  const runMember = (id: string, input: TaskInput) => slots.use(() => runTask(id, input));

  const stateOf = (node: PlannedNode, parentId: string | null, suffix: string): MemberState => {
    const call = node.kind === 'task' ? node : node.kind === 'map' || node.kind === 'starmap' ? node.call : undefined;
    return {
      id: node.id + suffix, kind: node.kind, task: call?.task ?? node.kind, state: 'PENDING', result: null, error: null,
      args: call?.args ?? [], kwargs: call?.kwargs ?? {}, queue: call ? plans[call.plan].queue : null,
      // Callbacks are children too, as in Celery's AsyncResult.children.
      parentId, children: [...childrenOf(node), ...callbacksOf(node)].map((child) => child.id + suffix), childrenTotal: 0, dateStarted: null, dateDone: null,
    };
  };
  // A partition's members are registered by its own workflow, not here.
  const register = (node: PlannedNode, parentId: string | null, suffix: string): void => {
    members.set(node.id + suffix, stateOf(node, parentId, suffix));
    if (node.kind === 'partition' && suffix === ownSuffix) partitions.push(node);
    [...childrenOf(node), ...callbacksOf(node)].forEach((child) => register(child, node.id + suffix, suffix));
  };
  /** A callback's repeated run (ids.ts): a member of its own, under the member it hangs on. */
  const registerRun = (callback: PlannedNode, parentId: string, suffix: string): void => {
    if (members.has(callback.id + suffix)) return;
    register(callback, parentId, suffix);
    members.get(parentId)!.children.push(callback.id + suffix);
  };
  const holderOf = (id: string) => holderAmong(partitions, id);
  /** The run of partition `holder` whose members' ids end as `id` does: its suffix is the longest that starts `id`'s. */
  const holderRun = (holder: PartitionNode, id: string): string | undefined => {
    const suffix = suffixOf(id);
    const runs = [...startedPartitions].filter((run) => plannedIdOf(run) === holder.id && suffix.startsWith(suffixOf(run)));
    return runs.sort((a, b) => b.length - a.length)[0];
  };
  const answerMembers = (id: string, limit: number): MemberState[] => {
    if (members.has(id)) return subtree(members, id, limit);
    const holder = holderOf(plannedIdOf(id));
    if (!holder || holderRun(holder, id) || !members.has(holder.id + suffixOf(id))) return [];
    // A member of a partition not started yet: what the plan says, in the partition's state.
    const found = findNode(holder.tree, plannedIdOf(id), holder.id);
    const { state, error } = members.get(holder.id + suffixOf(id))!;
    return found ? [{ ...stateOf(found.node, found.parentId + suffixOf(id), suffixOf(id)), state, error, children: [] }] : [];
  };
  setHandler(membersQuery, (id = tree.id, limit = 200, budget?: number) => {
    const answer = answerMembers(id, limit);
    return budget === undefined ? answer : withinBudget(answer, budget);
  });
  setHandler(locateQuery, (id) => {
    const holder = holderOf(plannedIdOf(id));
    return (holder && holderRun(holder, id)) ?? null;
  });

  const settle = (id: string, change: Partial<MemberState>): void => {
    const member = { ...members.get(id)!, ...change };
    const now = new Date().toISOString();
    if (change.state === 'STARTED') member.dateStarted = now;
    else if (change.state) member.dateDone = now;
    members.set(id, member);
  };

  /** Marks a member and everything under it that has not finished. */
  const settleUnfinished = (node: PlannedNode, suffix: string, change: Partial<MemberState>): void => {
    if (['PENDING', 'STARTED'].includes(members.get(node.id + suffix)!.state)) settle(node.id + suffix, change);
    childrenOf(node).forEach((child) => settleUnfinished(child, suffix, change));
  };

  const runCall = async (id: string, call: PlannedCall, partial: unknown[], kwargs: Record<string, unknown>): Promise<unknown> => {
    const args = call.immutable ? call.args : [...partial, ...call.args];
    const merged = call.immutable ? call.kwargs : { ...call.kwargs, ...kwargs };
    settle(id, { args, kwargs: merged });
    return runMember(id, { task: call.task, args, kwargs: merged, plan: plans[call.plan] });
  };

  /** Runs `node` as `<its id><suffix>` (its run suffix, ids.ts), and its callbacks after it. */
  const run = async (node: PlannedNode, partial: unknown[], suffix: string): Promise<unknown> => {
    const id = node.id + suffix;
    if (node.delayMs) await sleep(node.delayMs);
    settle(id, { state: 'STARTED' });
    let result: unknown;
    try {
      result = await runNode(node, partial, suffix);
    } catch (err) {
      const failure = asMemberFailure(err, id);
      if (failure) {
        settleUnfinished(node, suffix, { state: 'FAILURE', error: errorOf(failure.failure) });
        // link_error runs once per failed task, with its id, or its id, error and traceback for a
        // task that takes more than one argument, as Celery's (request, exc, traceback) (rule 18).
        // Each run is a member of its own: the n-th has the suffix of run n.
        for (const callback of node.linkError ?? []) {
          for (const [i, { id: failedId, error }] of failure.failed.entries()) {
            const args = callback.kind === 'task' && callback.receivesError ? [failedId, { type: error?.type, message: error?.message }, error?.traceback] : [failedId];
            const runAs = runSuffix(suffix, i + 1);
            registerRun(callback, id, runAs);
            callbacks.push(run(callback, args, runAs).catch(() => undefined));
          }
        }
      } else if (isCancellation(err)) {
        settleUnfinished(node, suffix, { state: 'REVOKED' });
      }
      throw failure ?? err;
    }
    // ignore_result: the value is passed on below, but not kept as the member's result.
    settle(id, { state: 'SUCCESS', result: node.kind === 'task' && plans[node.plan].ignoreResult ? null : result });
    // link callbacks run on success with the result prepended (rule 18); they do not hold the canvas up.
    for (const callback of node.link ?? []) callbacks.push(run(callback, [result], suffix).catch(() => undefined));
    return result;
  };

  const runNode = async (node: PlannedNode, partial: unknown[], suffix: string): Promise<unknown> => {
    const id = node.id + suffix;
    switch (node.kind) {
      case 'task':
        return runCall(id, node, partial, {});
      case 'partition':
        return partitionSlots.use(async () => {
          startedPartitions.add(id);
          const result = await executeChild(canvasPartition, {
            workflowId: id,
            workflowTaskTimeout: CANVAS_WORKFLOW_TASK_TIMEOUT,
            // A partition starts later than its canvas: `expires` in seconds still counts from the canvas's start.
            args: [{ tree: node.tree, plans: plans.map((plan) => anchorExpiry(plan, workflowInfo().startTime)), partial, ...(suffix ? { suffix } : {}) }],
            staticSummary: `part ${id} of ${workflowInfo().workflowId}`,
          });
          // The codec stood in for the partition's results: over the payload limit together.
          if (isTooLarge(result)) throw tooLargeFailure(`the result of ${id}`, result, RESULTS_TOO_LARGE_ADVICE);
          return result;
        });
      case 'map':
      case 'starmap': {
        // One task whose result is the list: one activity calling the task for each item in order (rule 16).
        const results: unknown[] = [];
        for (const part of node.parts ?? []) results.push(...((await run(part, [], suffix)) as unknown[]));
        if (!node.it.length) return results;
        const { prefix, offset } = node.itemIds ?? { prefix: node.id, offset: 0 };
        const { task, args, kwargs, plan } = node.call;
        results.push(...((await runMember(id, {
          task: node.kind === 'starmap' ? STARMAP_ACTIVITY : MAP_ACTIVITY, args, kwargs, plan: mapPlan(plans[plan], node.it.length),
          map: { task, it: node.it, itemIds: { prefix, offset, suffix } },
        })) as unknown[]));
        return results;
      }
      case 'chain': {
        // Each step's result is prepended to the next (rule 3); partial args go to the first (rule 4).
        const steps = node.parts ?? node.children;
        let carried = partial;
        let result: unknown = null;
        for (const [i, step] of steps.entries()) {
          if (i > 0) members.get(step.id + suffix)!.parentId = steps[i - 1].id + suffix;
          try {
            result = await run(step, carried, suffix);
          } catch (err) {
            // Rule 6: a failed step stops the chain, and later steps report the same error.
            const failure = asMemberFailure(err, step.id + suffix);
            if (failure) for (const later of steps.slice(i + 1)) settleUnfinished(later, suffix, { state: 'FAILURE', error: errorOf(failure.failure) });
            throw err;
          }
          carried = [result];
        }
        return result;
      }
      case 'group':
        // A partitioned group's parts each give a list: their results, concatenated in order.
        return node.parts ? (await runGroup(node.parts, partial, suffix)).flat(1) : runGroup(node.children, partial, suffix);
      case 'chord': {
        let header: unknown[];
        try {
          // Partial args go to each header member (rule 12).
          header = node.parts ? (await runGroup(node.parts, partial, suffix)).flat(1) : await runGroup(node.header, partial, suffix);
        } catch (err) {
          const failure = asMemberFailure(err, id);
          if (!failure) throw err;
          // Rule 13: the body never runs; the chord fails with a ChordError naming the member.
          const [{ id: failedId }] = failure.failed;
          const chordError = ApplicationFailure.nonRetryable(
            `Dependency ${failedId} raised ${failure.failure.type}: ${failure.failure.message}`,
            'ChordError',
          );
          throw new MemberFailure(chordError, failure.failed);
        }
        // The header's results, in header order, are the body's first argument (rule 11).
        return run(node.body, [header], suffix);
      }
    }
  };

  /** Members run in parallel; results keep submission order; the first failure wins (rules 8-10). */
  const runGroup = async (children: PlannedNode[], partial: unknown[], suffix: string): Promise<unknown[]> => {
    const settled = await Promise.allSettled(children.map((child) => run(child, partial, suffix)));
    const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason);
    const cancelled = rejected.find((reason) => !(reason instanceof MemberFailure));
    if (cancelled) throw cancelled;
    if (rejected.length) {
      const failures = rejected as MemberFailure[];
      throw new MemberFailure(failures[0].failure, failures.flatMap((f) => f.failed));
    }
    return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value);
  };

  register(tree, null, ownSuffix);
  try {
    return await run(tree, partial, ownSuffix);
  } finally {
    // Callbacks can add callbacks of their own (a link on an errback): wait for those too.
    for (let waited = 0; waited < callbacks.length; ) {
      const batch = callbacks.slice(waited);
      waited = callbacks.length;
      await Promise.allSettled(batch);
    }
  }
}



/** A task member's failure as a MemberFailure; cancellation (revoke) stays as it is. */
function asMemberFailure(err: unknown, id: string): MemberFailure | undefined {
  if (err instanceof MemberFailure) return err;
  if (isCancellation(err) || err instanceof CancelledFailure) return undefined;
  const reported = err instanceof ChildWorkflowFailure ? err.cause : undefined;
  if (reported instanceof ApplicationFailure && reported.type === PARTITION_FAILURE) {
    return new MemberFailure(reported.cause as ApplicationFailure, reported.details![0] as FailedMember[]);
  }
  // A partition that failed on its own (its input over the payload limit): the partition failed.
  if (reported instanceof ApplicationFailure) return MemberFailure.of(reported, id);
  if (err instanceof ApplicationFailure) return MemberFailure.of(err, id);
  return MemberFailure.of(ApplicationFailure.nonRetryable(String((err as Error)?.message ?? err), 'Error'), id);
}

function errorOf(failure: ApplicationFailure): MemberState['error'] {
  return { type: failure.type ?? 'Error', message: failure.message, traceback: failure.stack ?? null };
}
