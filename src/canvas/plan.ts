/**
 * Turns a parsed canvas into what its workflow runs: every member gets its id and, for a
 * task, its activity plan, checked against the registry first so that a bad canvas is refused
 * whole and never half-runs. Pure (the registry is plain data).
 */
import { bindArguments, planActivity, startDelayMs, UnknownTaskError, type ActivityPlan, type CallOptions, type TaskRegistry } from '../tasks/index.js';
import type { Canvas, SignatureOptions } from './model.js';
import { memberId } from './ids.js';
import { partition } from './partition.js';

/** Fields left out when empty, so that a large canvas stays small enough for one payload. */
interface Planned {
  id: string;
  link?: PlannedNode[];
  linkError?: PlannedNode[];
  /** Member's own countdown/eta, waited inside the workflow. */
  delayMs?: number;
  /**
   * A collection too large for one workflow (partition.ts): its members (a group's or chain's
   * children, a chord's header, a map's items) are run by these child workflows instead.
   */
  parts?: PartitionNode[];
}
export interface PlannedCall {
  task: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  immutable: boolean;
  /** Index into PlannedCanvas.plans: members with the same options share one plan. */
  plan: number;
}

/** What a canvas workflow runs: the tree, and the activity plans its members point to. */
export interface PlannedCanvas {
  tree: PlannedNode;
  plans: ActivityPlan[];
}

/** Part of a collection run by a child workflow whose id is the partition's id. */
export interface PartitionNode extends Planned {
  kind: 'partition';
  /** A group, chain or map holding this part of the collection's members. */
  tree: PlannedNode;
  /** The numbers `n` of the member ids (`<root>~<n>`) it runs, first and last: where a member is found. */
  holds?: [number, number];
}

export type PlannedNode = Planned &
  (
    /** `receivesError`: a link_error callback that gets (failed id, error, traceback), not the id alone. */
    | ({ kind: 'task'; receivesError?: true } & PlannedCall)
    | { kind: 'chain' | 'group'; children: PlannedNode[] }
    | { kind: 'chord'; header: PlannedNode[]; body: PlannedNode }
    /** Item i runs as activity `<id>/<i>`, or `<itemIds.prefix>/<itemIds.offset + i>` in a partition. */
    | { kind: 'map' | 'starmap'; call: PlannedCall; it: unknown[]; itemIds?: { prefix: string; offset: number } }
    | PartitionNode
  );

/** A member that no task of the registry can run, or whose arguments cannot fit it. */
export class CanvasPlanError extends Error {
  override name = 'CanvasPlanError';
  constructor(readonly path: string, readonly cause: Error) {
    super(`${path}: ${cause.message}`);
  }
}

export interface PlanContext {
  rootId: string;
  registry: TaskRegistry;
  now: Date;
  /** Maps a signature's Celery-named options onto call options. */
  callOptions: (options: SignatureOptions) => CallOptions;
}

export function planCanvas(canvas: Canvas, context: PlanContext): PlannedCanvas {
  let counter = 0;
  const plans: ActivityPlan[] = [];
  const planIndex = new Map<string, number>();
  const share = (plan: ActivityPlan): number => {
    const key = JSON.stringify(plan);
    if (!planIndex.has(key)) planIndex.set(key, plans.push(plan) - 1);
    return planIndex.get(key)!;
  };
  const nextId = () => memberId(context.rootId, ++counter);

  const call = (node: Extract<Canvas, { kind: 'task' }>, path: string, receives: boolean): PlannedCall => {
    const definition = context.registry.get(node.task);
    try {
      if (!definition) throw new UnknownTaskError(node.task);
      const options = context.callOptions(node.options);
      // Arguments can be checked now unless a parent's result or partial args will be prepended.
      if (node.immutable || !receives) bindArguments(definition.name, definition.options.params, node.args, node.kwargs);
      return { task: definition.name, args: node.args, kwargs: node.kwargs, immutable: node.immutable, plan: share(planActivity(definition.name, definition.options, options, context.now)) };
    } catch (err) {
      throw new CanvasPlanError(`${path}.task`.replace(/^\./, ''), err as Error);
    }
  };

  // Celery calls an errback whose task takes more than one argument with (request, exc, traceback).
  const errback = (callback: PlannedNode): PlannedNode =>
    callback.kind === 'task' && !callback.immutable && (context.registry.get(callback.task)?.options.params?.length ?? 0) > 1
      ? { ...callback, receivesError: true }
      : callback;

  const visit = (canvas: Canvas, path: string, receives: boolean, inherited: SignatureOptions = {}, isRoot = false): PlannedNode => {
    // A composite's call options reach its members and win over theirs, as in Celery.
    const node = { ...canvas, options: { ...canvas.options, ...inherited } } as Canvas;
    const passed = Object.fromEntries(Object.entries(node.options).filter(([key]) => !OWN_OPTIONS.includes(key)));
    const common: Planned = { id: isRoot ? context.rootId : nextId() };
    if (node.options.link?.length) common.link = node.options.link.map((cb, i) => visit(cb, `${path}.options.link[${i}]`, true));
    if (node.options.link_error?.length) common.linkError = node.options.link_error.map((cb, i) => errback(visit(cb, `${path}.options.link_error[${i}]`, true)));
    const delayMs = isRoot ? 0 : startDelayMs(context.callOptions(node.options), context.now);
    if (delayMs) common.delayMs = delayMs;
    switch (node.kind) {
      case 'task':
        return { ...common, kind: 'task', ...call(node, path, receives) };
      case 'chain':
        return { ...common, kind: 'chain', children: node.tasks.map((step, i) => visit(step, `${path}.chain[${i}]`, receives || i > 0, passed)) };
      case 'group':
        return { ...common, kind: 'group', children: node.tasks.map((member, i) => visit(member, `${path}.group[${i}]`, receives, passed)) };
      case 'chord':
        return {
          ...common,
          kind: 'chord',
          header: node.header.map((member, i) => visit(member, `${path}.chord.header[${i}]`, receives, passed)),
          body: visit(node.body, `${path}.chord.body`, true, passed),
        };
      default:
        // map and starmap are immutable: they call the task with each item only (rule 16).
        return { ...common, kind: node.kind, call: { ...call({ ...node.task, immutable: true }, `${path}.${node.kind}`, false), immutable: true }, it: node.it };
    }
  };
  return { tree: partition(visit(canvas, '', false, {}, true)), plans };
}

/** The local activity every worker offers so that workflow code can plan a canvas (runCanvas). */
export interface PlanActivities {
  planCanvas(canvas: Canvas, rootId: string): Promise<PlannedCanvas>;
}

/** Options that belong to the signature they are set on, never to its members. */
const OWN_OPTIONS = ['task_id', 'link', 'link_error', 'countdown', 'eta'];
