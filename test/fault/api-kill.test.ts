/**
 * kill -9 of the API during a burst of submissions that carry client task ids, then a new API
 * and every id sent again: each task exists once and runs once. A resent id that the first API
 * had created answers 200 with that task; the requests the kill left unanswered are the ones a
 * client must resend (all are resent here, to prove the idempotency).
 * Scale: CELERITY_FAULT_BURST submissions (default 2,000), 50 in flight at a time.
 */
import { FaultStack } from './support/fault-stack.js';
import { request, sleep, waitForFinal } from '../support/processes.js';

const BURST = Number(process.env.CELERITY_FAULT_BURST ?? 2000);
const IN_FLIGHT = 50;
let stack: FaultStack;

beforeAll(async () => {
  stack = await FaultStack.create();
});
afterAll(() => stack.cleanup());

const body = (i: number) => ({ task: 'fault_add', args: [`burst-${i}`, i, 1], options: { task_id: `burst-${i}` } });

/** POST /tasks; the status, or `no answer` when the connection failed. */
async function post(api: string, i: number): Promise<number | 'no answer'> {
  try {
    return (await request(`${api}/tasks`, 'POST', body(i))).status;
  } catch {
    return 'no answer';
  }
}

/** Sends every id, IN_FLIGHT at a time (a new one as each answers), noting each answer in `answers`. */
async function sendAll(api: string, ids: number[], answers: Map<number, number | 'no answer'>): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < ids.length) {
      const i = ids[next++];
      answers.set(i, await post(api, i));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
}

test(`kill -9 of the API during a burst of ${BURST} submissions with task ids: each task exists once and runs once`, async () => {
  const first = await stack.api();
  await stack.worker();
  const ids = Array.from({ length: BURST }, (_, i) => i);
  const sent = new Map<number, number | 'no answer'>();
  const burst = sendAll(first.url, ids, sent);
  // Killed mid-burst, with IN_FLIGHT requests under way.
  while (sent.size < BURST / 4) await sleep(20);
  await stack.kill(first);
  await burst;
  const accepted = ids.filter((i) => sent.get(i) === 202);
  const unanswered = ids.filter((i) => sent.get(i) !== 202);
  expect(ids.map((i) => sent.get(i)).filter((status) => status !== 202 && status !== 'no answer')).toEqual([]);
  expect(unanswered.length).toBeGreaterThan(0);

  const second = await stack.api();
  const resent = new Map<number, number | 'no answer'>();
  await sendAll(second.url, ids, resent);
  // What the first API accepted exists: 200, the existing task, not a second one.
  expect(accepted.filter((i) => resent.get(i) !== 200)).toEqual([]);
  expect(unanswered.filter((i) => resent.get(i) !== 200 && resent.get(i) !== 202)).toEqual([]);
  const createdUnanswered = unanswered.filter((i) => resent.get(i) === 200).length;

  const tasks = await waitForFinal(second.url, ids.map((i) => `burst-${i}`), 300_000);
  const wrong = ids.filter((i) => tasks.get(`burst-${i}`).state !== 'SUCCESS' || tasks.get(`burst-${i}`).result !== i + 1);
  expect(wrong).toEqual([]);
  const executions = stack.executions();
  const notOnce = ids.map((i) => `burst-${i}`).filter((key) => executions.get(key)?.done.length !== 1);
  expect(notOnce).toEqual([]);
  console.log(
    `${BURST} submissions: ${accepted.length} answered 202 before the kill, ${unanswered.length} unanswered ` +
      `(${createdUnanswered} of them had been created all the same); all resent, each task ran once`,
  );
});
