// `npm run bench`: Celery, BullMQ, the raw Temporal SDK and Celerity, every scenario in one run
// on this machine with the same no-op `add` task, then bench/results/<date>.md and .svg.
// bench/README.md says what each scenario measures.
//
//   npm run bench -- [--quick] [--skip-b5] [--only celery,bullmq,raw-sdk,celerity]
//                    [--untuned] [--server-config KEY=VALUE]... [--sqlite-pragma NAME=VALUE]...
//                    [--celerity-heap-mb MB] [--note TEXT]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findTemporalCli } from '../dist/src/temporal/cli.js';
import { DEV_SERVER_TUNING, freePort, startDevServer } from '../dist/src/temporal/dev-server.js';
import { runDriver } from './lib/driver.mjs';
import { LOG_DIR, newChildren, pids, stopped } from './lib/processes.mjs';
import { chart, summary, tables } from './lib/report.mjs';
import { runCelerity } from './peers/celerity.mjs';
import { runBullmq, runCelery } from './peers/queues.mjs';
import { ensureInstalled, startRedis } from './peers/redis.mjs';

const PEERS = ['celery', 'bullmq', 'raw-sdk', 'celerity'];
const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'skip-b5': { type: 'boolean', default: false },
    only: { type: 'string', default: PEERS.join(',') },
    untuned: { type: 'boolean', default: false },
    'server-config': { type: 'string', multiple: true, default: [] },
    'sqlite-pragma': { type: 'string', multiple: true, default: [] },
    'celerity-heap-mb': { type: 'string' },
    note: { type: 'string', default: '' },
  },
});
const only = flags.only.split(',').map((peer) => peer.trim());
const unknown = only.filter((peer) => !PEERS.includes(peer));
if (unknown.length) throw new Error(`--only: unknown peer(s) ${unknown.join(', ')}; the peers are ${PEERS.join(', ')}`);

/** --quick runs in under 3 minutes: fewer of everything, and no B5. */
const sizes = flags.quick
  ? { b1: 30, b2: 150, b3: 300, b3c: 1000, b4Seconds: 5, b5: 0 }
  : { b1: 500, b2: 10_000, b3: 10_000, b3c: 10_000, b4Seconds: 20, b5: flags['skip-b5'] ? 0 : 100_000 };
const tuning = serverTuning();
const log = (message) => console.error(`[bench] ${message}`);
const lines = [];
const runStarted = new Date();

/** Measures one scenario into a line; a failure is a line too, and the run goes on. */
async function record(scenario, variant, measure) {
  if (stopped.signal.aborted) throw stopped.signal.reason;
  log(`${scenario} ${variant}`);
  let line;
  try {
    line = { scenario, variant, ...(await measure()) };
  } catch (err) {
    if (stopped.signal.aborted) throw stopped.signal.reason;
    line = { scenario, variant, error: err.message };
  }
  lines.push(line);
  console.log(JSON.stringify(line));
}

/** A driver's lines, or the lines it printed before it failed and one for its failure. */
async function driverLines(variant, drive) {
  log(variant);
  let got;
  try {
    got = await drive();
  } catch (err) {
    if (stopped.signal.aborted) throw stopped.signal.reason;
    got = [...(err.lines ?? []), { scenario: 'all', variant, error: err.message }];
  }
  for (const line of got) {
    lines.push(line);
    console.log(JSON.stringify(line));
  }
}

async function runRedisPeers() {
  const wanted = only.filter((peer) => peer === 'celery' || peer === 'bullmq');
  if (!wanted.length) return;
  ensureInstalled(log);
  const redis = await startRedis();
  try {
    if (wanted.includes('celery')) await driverLines('Celery', () => runCelery(redis, sizes));
    if (wanted.includes('bullmq')) await driverLines('BullMQ', () => runBullmq(redis, sizes));
  } finally {
    await redis.stop();
  }
}

async function runTemporalPeers() {
  if (!only.includes('raw-sdk') && !only.includes('celerity')) return;
  const cli = await findTemporalCli({ install: true, log });
  const before = pids();
  // The embedded default: a SQLite file, as `npm start` runs it.
  const server = await startDevServer({ cli, port: await freePort(), namespace: 'default', dbFile: path.join(LOG_DIR, 'temporal.db'), logFile: path.join(LOG_DIR, 'temporal.log'), tuning });
  const [serverPid] = newChildren(before);
  try {
    if (only.includes('raw-sdk')) {
      const config = { address: server.address, b1: sizes.b1, b2: sizes.b2, b4Seconds: sizes.b4Seconds };
      await driverLines('raw SDK', () => runDriver('raw-sdk', 'node', [path.join(import.meta.dirname, 'raw-sdk/driver.mjs'), JSON.stringify(config)]));
    }
    if (only.includes('celerity')) await runCelerity({ server, serverPid, sizes, record, heapMb: flags['celerity-heap-mb'] });
  } finally {
    await server.stop();
  }
}

/**
 * The server settings this run uses: Celerity's, or the CLI's own (--untuned), plus each
 * --server-config (a dynamic config value, JSON) and --sqlite-pragma.
 */
function serverTuning() {
  const base = flags.untuned ? { dynamicConfig: {}, sqlitePragmas: {} } : DEV_SERVER_TUNING;
  const settings = (flag, parse) =>
    flags[flag].map((setting) => {
      const [key, value] = setting.split('=');
      if (!key || value === undefined) throw new Error(`--${flag} ${setting}: expected KEY=VALUE`);
      return [key, parse(value)];
    });
  return {
    dynamicConfig: { ...base.dynamicConfig, ...Object.fromEntries(settings('server-config', JSON.parse)) },
    sqlitePragmas: { ...base.sqlitePragmas, ...Object.fromEntries(settings('sqlite-pragma', String)) },
  };
}

function machine() {
  const cli = (args) => execFileSync(args[0], args.slice(1), { encoding: 'utf8' }).trim();
  return {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? 'unknown',
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    load_average: os.loadavg().map((n) => n.toFixed(2)).join(' '),
    kernel: cli(['uname', '-r']),
  };
}

function writeReport(host, failure) {
  const stamp = runStarted.toISOString().slice(0, 16).replace(':', '');
  const dir = path.join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const title = `npm run bench${flags.quick ? ' --quick' : ''}, ${runStarted.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  writeFileSync(path.join(dir, `${stamp}.svg`), chart(lines, title));
  const md = [
    `# ${title}`,
    '',
    `Machine: ${host.cpus} CPUs (${host.cpu_model}), ${host.memory_gb} GB, Linux ${host.kernel}, Node.js ${host.node}; load average at the start ${host.load_average}, at the end ${os.loadavg().map((n) => n.toFixed(2)).join(' ')}.`,
    `Temporal dev server settings: \`${JSON.stringify(tuning)}\`.`,
    ...(flags['celerity-heap-mb'] ? [`Celerity's processes ran with \`--max-old-space-size=${flags['celerity-heap-mb']}\`.`] : []),
    ...(flags.note ? ['', flags.note] : []),
    ...(failure ? ['', `**Incomplete run**: ${failure}`] : []),
    '',
    `![ratio to the best peer](${stamp}.svg)`,
    '',
    summary(lines),
    '',
    tables(lines),
    '## Raw JSON lines',
    '',
    '```',
    ...lines.map((line) => JSON.stringify(line)),
    '```',
    '',
  ].join('\n');
  writeFileSync(path.join(dir, `${stamp}.md`), md);
  return path.join(dir, `${stamp}.md`);
}

const host = machine();
log(`sizes ${JSON.stringify(sizes)}; logs in ${LOG_DIR}`);
let failure;
try {
  await runRedisPeers();
  await runTemporalPeers();
} catch (err) {
  failure = err.message;
  log(failure);
  process.exitCode = 1;
} finally {
  if (lines.length) log(`report: ${writeReport(host, failure)}`);
  log(`took ${Math.round((Date.now() - runStarted.getTime()) / 1000)} s`);
}
