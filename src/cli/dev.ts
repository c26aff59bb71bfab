/**
 * `celerity dev` (what `npm start` runs): the embedded Temporal dev server with SQLite under
 * .data/ and its Web UI, a worker and the API, in one process tree that stops as one.
 * With TEMPORAL_ADDRESS set it uses that server and starts none.
 */
import path from 'node:path';
import type { CelerityApp } from '../app.js';
import { startApi, type ApiServer } from '../api/server.js';
import type { BeatSchedule } from '../beat/entry.js';
import { Schedules } from '../beat/schedules.js';
import { syncBeatSchedule } from '../beat/sync.js';
import type { CelerityConfig } from '../config.js';
import { findTemporalCli } from '../temporal/cli.js';
import { startDevServer, type DevServer } from '../temporal/dev-server.js';
import { appWorkflows } from '../worker/app-workflows.js';
import { shutdownOnSignals } from '../worker/shutdown.js';
import { startWorker } from '../worker/worker.js';
import { onParentExit } from './parent-watch.js';

export async function runDev(config: CelerityConfig, app: CelerityApp): Promise<void> {
  const log = (message: string) => console.log(`[celerity] ${message}`);
  onParentExit(() => {
    log('the process that started this one is gone: stopping');
    process.kill(process.pid, 'SIGTERM');
  });
  let server: DevServer | undefined;
  if (!config.temporalAddress) {
    const cli = await findTemporalCli({ install: true, log });
    log(`starting the Temporal dev server (${cli}), data in ${config.dataDir}`);
    server = await startDevServer({
      cli,
      port: config.devServerPort,
      uiPort: config.devUiPort,
      dbFile: path.join(config.dataDir, 'temporal.db'),
      namespace: config.namespace,
      logFile: path.join(config.dataDir, 'temporal.log'),
      uiCodecEndpoint: codecEndpoint(config),
    });
    config = { ...config, temporalAddress: server.address, codecCorsOrigins: uiCodecOrigins(config) };
  }
  try {
    await serve(config, app, server, log);
  } catch (err) {
    await server?.stop();
    throw err;
  }
}

/**
 * Where the browser showing the dev server's Web UI reaches the API's codec server (src/api/codec),
 * so that the UI shows gzipped payloads decoded. Unknown while PORT=0 picks the API's port.
 */
export function codecEndpoint(config: Pick<CelerityConfig, 'host' | 'port'>): string | undefined {
  if (config.port === 0) return undefined;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}/codec`;
}

/**
 * With API keys on, the UI's browser sends its key to /codec in a cookie (see
 * src/api/codec/codec-session.controller.ts), which CORS allows only to named origins: the
 * embedded UI's, unless CELERITY_CODEC_CORS_ORIGIN names others.
 */
export function uiCodecOrigins(config: Pick<CelerityConfig, 'apiKeys' | 'codecCorsOrigins' | 'devUiPort'>): CelerityConfig['codecCorsOrigins'] {
  if (config.apiKeys.length === 0 || config.codecCorsOrigins !== '*') return config.codecCorsOrigins;
  return [`http://127.0.0.1:${config.devUiPort}`, `http://localhost:${config.devUiPort}`];
}

/**
 * Creates, updates and removes the app's declared schedules (Celery's beat_schedule). Run by the
 * `dev` and `api` commands rather than in startApi: tests start many APIs against one server,
 * and each would otherwise create the example app's schedules.
 */
export async function syncBeat(api: ApiServer, beatSchedule: BeatSchedule, log: (message: string) => void): Promise<void> {
  const beat = await syncBeatSchedule(api.app.get(Schedules), beatSchedule);
  log(`beat:        ${Object.keys(beatSchedule).length} declared schedule(s); created ${beat.created.length}, updated ${beat.updated.length}, removed ${beat.deleted.length}`);
  if (beat.skipped.length) log(`beat:        left alone (not declared by this app): ${beat.skipped.join(', ')}`);
}

async function serve(config: CelerityConfig, app: CelerityApp, server: DevServer | undefined, log: (message: string) => void): Promise<void> {
  const worker = await startWorker(config, app.registry, { ...(await appWorkflows(app, config.encryption, config.workflowBundle)), shutdownGraceS: config.workerShutdownGraceS });
  const api = await startApi(config, app.registry, false, worker.connection);

  log(`Temporal:    ${config.temporalAddress} (namespace ${config.namespace})`);
  log(`API:         ${api.url}`);
  log(`Swagger UI:  ${api.url}/docs`);
  log(`Temporal UI: ${server?.uiUrl ?? config.temporalUiUrl}`);
  if (config.apiKeys.length > 0) log(`codec key:   ${api.url}/codec/session, for the Temporal UI to decode payloads in this browser`);
  await syncBeat(api, app.beatSchedule, log);
  log(`worker:      queues ${worker.queues.join(', ')}; press Ctrl-C to stop`);
  shutdownOnSignals({ worker, graceS: config.workerShutdownGraceS, log, before: () => api.close(), after: async () => server?.stop() });
}
