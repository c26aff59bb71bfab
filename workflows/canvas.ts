/**
 * The workflows behind a canvas (chain, group, chord, map, starmap, chunks, link, link_error)
 * and its partitions, and runCanvas for workflow code: each runs its planned tree with the
 * interpreter (canvas-run.ts) and answers the `members` and `locate` queries from its members'
 * states (members.ts). Deterministic: no I/O, no clock but workflow time.
 */
import { ApplicationFailure, defineQuery, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Canvas } from '../src/canvas/model.js';
import { PARTITION_FAILURE } from '../src/canvas/partition.js';
import type { PlanActivities, PlannedCanvas } from '../src/canvas/plan.js';
import { INPUT_TOO_LARGE_ADVICE, isTooLarge, START_TOO_LARGE_ADVICE, tooLargeFailure } from '../src/temporal/payload-marker.js';
import { CanvasRun } from './canvas-run.js';
import { MemberFailure } from './member-failure.js';
import { Members, type MemberState } from './members.js';

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

/** The interpreter shared by every canvas workflow and partition: its members answer the queries. */
async function interpret({ tree, plans }: PlannedCanvas, partial: unknown[], ownSuffix = ''): Promise<unknown> {
  const members = new Members(plans, ownSuffix);
  members.register(tree, null, ownSuffix);
  setHandler(membersQuery, (id = tree.id, limit = 200, budget?: number) => members.answer(id, limit, budget));
  setHandler(locateQuery, (id) => members.locate(id));
  const run = new CanvasRun(plans, members);
  try {
    return await run.run(tree, partial, ownSuffix);
  } finally {
    await run.finish();
  }
}
