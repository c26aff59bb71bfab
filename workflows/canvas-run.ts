/**
 * The canvas interpreter: runs a planned tree with Celery 5's rules (CANVAS.md), one method per
 * kind of node, each task member through runTask (so members keep every task semantic), and
 * settles each member's state in Members as it goes. Deterministic: no I/O, no clock but
 * workflow time.
 */
import { ApplicationFailure, executeChild, isCancellation, sleep, workflowInfo } from '@temporalio/workflow';
import { runSuffix } from '../src/canvas/ids.js';
import { CANVAS_WORKFLOW_TASK_TIMEOUT } from '../src/canvas/partition.js';
import type { PartitionNode, PlannedCall, PlannedNode } from '../src/canvas/plan.js';
import { MAP_ACTIVITY, mapPlan, STARMAP_ACTIVITY } from '../src/tasks/map-call.js';
import { anchorExpiry, type ActivityPlan } from '../src/tasks/options.js';
import { PARTITION_WORKFLOW } from '../src/temporal/workflow-types.js';
import { isTooLarge, RESULTS_TOO_LARGE_ADVICE, tooLargeFailure } from '../src/temporal/payload-marker.js';
import { asMemberFailure, errorOf, MemberFailure } from './member-failure.js';
import type { Members } from './members.js';
import { runTask, type TaskInput } from './task.js';

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

/** One run of a planned tree in one workflow (a canvas's, or a partition's). */
export class CanvasRun {
  /** Callbacks run beside the tree: the workflow waits for them before it ends (see finish). */
  private readonly callbacks: Promise<unknown>[] = [];
  private readonly slots = new Slots(MAX_IN_FLIGHT);
  private readonly partitionSlots = new Slots(MAX_PARTITIONS_IN_FLIGHT);

  constructor(private readonly plans: ActivityPlan[], private readonly members: Members) {}

  /** Runs `node` as `<its id><suffix>` (its run suffix, ids.ts), and its callbacks after it. */
  async run(node: PlannedNode, partial: unknown[], suffix: string): Promise<unknown> {
    const id = node.id + suffix;
    if (node.delayMs) await sleep(node.delayMs);
    this.members.settle(id, { state: 'STARTED' });
    let result: unknown;
    try {
      result = await this.runNode(node, partial, suffix);
    } catch (err) {
      const failure = asMemberFailure(err, id);
      if (failure) {
        this.members.settleUnfinished(node, suffix, { state: 'FAILURE', error: errorOf(failure.failure) });
        this.runErrbacks(node, id, suffix, failure);
      } else if (isCancellation(err)) {
        this.members.settleUnfinished(node, suffix, { state: 'REVOKED' });
      }
      throw failure ?? err;
    }
    // ignore_result: the value is passed on below, but not kept as the member's result.
    this.members.settle(id, { state: 'SUCCESS', result: node.kind === 'task' && this.plans[node.plan].ignoreResult ? null : result });
    // link callbacks run on success with the result prepended (rule 18); they do not hold the canvas up.
    for (const callback of node.link ?? []) this.callbacks.push(this.run(callback, [result], suffix).catch(() => undefined));
    return result;
  }

  /** Resolves once every callback has run, those that callbacks added included (a link on an errback). */
  async finish(): Promise<void> {
    for (let waited = 0; waited < this.callbacks.length; ) {
      const batch = this.callbacks.slice(waited);
      waited = this.callbacks.length;
      await Promise.allSettled(batch);
    }
  }

  /**
   * link_error runs once per failed task, with its id, or its id, error and traceback for a
   * task that takes more than one argument, as Celery's (request, exc, traceback) (rule 18).
   * Each run is a member of its own: the n-th has the suffix of run n.
   */
  private runErrbacks(node: PlannedNode, id: string, suffix: string, failure: MemberFailure): void {
    for (const callback of node.linkError ?? []) {
      for (const [i, { id: failedId, error }] of failure.failed.entries()) {
        const args = callback.kind === 'task' && callback.receivesError ? [failedId, { type: error?.type, message: error?.message }, error?.traceback] : [failedId];
        const runAs = runSuffix(suffix, i + 1);
        this.members.registerRun(callback, id, runAs);
        this.callbacks.push(this.run(callback, args, runAs).catch(() => undefined));
      }
    }
  }

  private runNode(node: PlannedNode, partial: unknown[], suffix: string): Promise<unknown> {
    switch (node.kind) {
      case 'task':
        return this.runCall(node.id + suffix, node, partial);
      case 'partition':
        return this.runPartition(node, partial, suffix);
      case 'map':
      case 'starmap':
        return this.runMap(node, suffix);
      case 'chain':
        return this.runChain(node.parts ?? node.children, partial, suffix);
      case 'group':
        // A partitioned group's parts each give a list: their results, concatenated in order.
        return node.parts ? this.runGroup(node.parts, partial, suffix).then((parts) => parts.flat(1)) : this.runGroup(node.children, partial, suffix);
      case 'chord':
        return this.runChord(node, partial, suffix);
    }
  }

  private runCall(id: string, call: PlannedCall, partial: unknown[]): Promise<unknown> {
    const args = call.immutable ? call.args : [...partial, ...call.args];
    this.members.settle(id, { args, kwargs: call.kwargs });
    return this.runMember(id, { task: call.task, args, kwargs: call.kwargs, plan: this.plans[call.plan] });
  }

  private runMember(id: string, input: TaskInput): Promise<unknown> {
    return this.slots.use(() => runTask(id, input));
  }

  /** A part of a large collection, run by a child workflow of its own (src/canvas/partition.ts). */
  private runPartition(node: PartitionNode, partial: unknown[], suffix: string): Promise<unknown> {
    const id = node.id + suffix;
    return this.partitionSlots.use(async () => {
      this.members.partitionStarted(id);
      const result = await executeChild(PARTITION_WORKFLOW, {
        workflowId: id,
        workflowTaskTimeout: CANVAS_WORKFLOW_TASK_TIMEOUT,
        // A partition starts later than its canvas: `expires` in seconds still counts from the canvas's start.
        args: [{ tree: node.tree, plans: this.plans.map((plan) => anchorExpiry(plan, workflowInfo().startTime)), partial, ...(suffix ? { suffix } : {}) }],
        staticSummary: `part ${id} of ${workflowInfo().workflowId}`,
      });
      // The codec stood in for the partition's results: over the payload limit together.
      if (isTooLarge(result)) throw tooLargeFailure(`the result of ${id}`, result, RESULTS_TOO_LARGE_ADVICE);
      return result;
    });
  }

  /** One task whose result is the list: one activity calling the task for each item in order (rule 16). */
  private async runMap(node: Extract<PlannedNode, { kind: 'map' | 'starmap' }>, suffix: string): Promise<unknown[]> {
    const results: unknown[] = [];
    for (const part of node.parts ?? []) results.push(...((await this.run(part, [], suffix)) as unknown[]));
    if (!node.it.length) return results;
    const { prefix, offset } = node.itemIds ?? { prefix: node.id, offset: 0 };
    const { task, args, kwargs, plan } = node.call;
    const mapped = await this.runMember(node.id + suffix, {
      task: node.kind === 'starmap' ? STARMAP_ACTIVITY : MAP_ACTIVITY, args, kwargs, plan: mapPlan(this.plans[plan], node.it.length),
      map: { task, it: node.it, itemIds: { prefix, offset, suffix } },
    });
    return [...results, ...(mapped as unknown[])];
  }

  /** Each step's result is prepended to the next (rule 3); partial args go to the first (rule 4). */
  private async runChain(steps: PlannedNode[], partial: unknown[], suffix: string): Promise<unknown> {
    let carried = partial;
    let result: unknown = null;
    for (const [i, step] of steps.entries()) {
      if (i > 0) this.members.get(step.id + suffix).parentId = steps[i - 1].id + suffix;
      try {
        result = await this.run(step, carried, suffix);
      } catch (err) {
        // Rule 6: a failed step stops the chain, and later steps report the same error.
        const failure = asMemberFailure(err, step.id + suffix);
        if (failure) for (const later of steps.slice(i + 1)) this.members.settleUnfinished(later, suffix, { state: 'FAILURE', error: errorOf(failure.failure) });
        throw err;
      }
      carried = [result];
    }
    return result;
  }

  /** The header's results, in header order, are the body's first argument (rule 11). */
  private async runChord(node: Extract<PlannedNode, { kind: 'chord' }>, partial: unknown[], suffix: string): Promise<unknown> {
    let header: unknown[];
    try {
      // Partial args go to each header member (rule 12).
      header = node.parts ? (await this.runGroup(node.parts, partial, suffix)).flat(1) : await this.runGroup(node.header, partial, suffix);
    } catch (err) {
      const failure = asMemberFailure(err, node.id + suffix);
      if (!failure) throw err;
      // Rule 13: the body never runs; the chord fails with a ChordError naming the member.
      const [{ id: failedId }] = failure.failed;
      const chordError = ApplicationFailure.nonRetryable(`Dependency ${failedId} raised ${failure.failure.type}: ${failure.failure.message}`, 'ChordError');
      throw new MemberFailure(chordError, failure.failed);
    }
    return this.run(node.body, [header], suffix);
  }

  /** Members run in parallel; results keep submission order; the first failure wins (rules 8-10). */
  private async runGroup(children: PlannedNode[], partial: unknown[], suffix: string): Promise<unknown[]> {
    const settled = await Promise.allSettled(children.map((child) => this.run(child, partial, suffix)));
    const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason);
    const cancelled = rejected.find((reason) => !(reason instanceof MemberFailure));
    if (cancelled) throw cancelled;
    if (rejected.length) {
      const failures = rejected as MemberFailure[];
      throw new MemberFailure(failures[0].failure, failures.flatMap((f) => f.failed));
    }
    return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value);
  }
}
