// BullMQ's side of the benchmark: a worker process running the same no-op tasks.
//
//   node bench/bullmq/worker.mjs <redis port> <concurrency>
import { Worker } from 'bullmq';

const [port, concurrency] = process.argv.slice(2).map(Number);
const tasks = {
  add: ({ x, y }) => x + y,
  /** Celery's `starmap` of one chunk: `add` over each pair, in one job. */
  starmap: ({ it }) => it.map(([x, y]) => x + y),
  /** The flow's parent: the sum of its children's results (a chunk's result is its list). */
  xsum: async (_data, job) => Object.values(await job.getChildrenValues()).flat().reduce((total, n) => total + n, 0),
};
const worker = new Worker('bench', (job) => tasks[job.name](job.data, job), { connection: { host: '127.0.0.1', port }, concurrency });
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void worker.close().then(() => process.exit(0)));
