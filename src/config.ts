/** Celerity's settings, read once from the environment (see the README's configuration table). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseApiKeys, type ApiKey } from './api/security/api-keys.js';
import { parseRateLimit, type RateLimit } from './api/security/rate-limit.js';
import { parseEncryptionKeys, type EncryptionKeys } from './temporal/encryption.js';
import { temporalSettings, type TemporalConnectionSettings } from './temporal/settings.js';

export interface CelerityConfig {
  /** An existing Temporal server; when unset, `celerity dev` starts the embedded dev server. */
  temporalAddress?: string;
  namespace: string;
  /** TLS, API key and gRPC metadata for Temporal (src/temporal/settings.ts). */
  temporalConnection: TemporalConnectionSettings;
  /** The task queue of Celerity's workflows (activities run on the tasks' own queues). */
  workflowQueue: string;
  host: string;
  port: number;
  /**
   * Seconds the API keeps an idle keep-alive connection open: longer than the idle timeout of
   * the load balancer or client pool in front of it (60 s on AWS ALB), so that they close first.
   */
  keepAliveTimeoutS: number;
  /** Embedded dev server ports and its SQLite file. */
  devServerPort: number;
  devUiPort: number;
  dataDir: string;
  /** Base URL of the Temporal Web UI, for links to a task's history. */
  temporalUiUrl: string;
  logLevel: string;
  /** Seconds a stopping worker lets running tasks finish before they are retried elsewhere. */
  workerShutdownGraceS: number;
  /** A workflow bundle made by `celerity bundle`, which workers load instead of bundling at start. */
  workflowBundle?: string;
  /** Where a worker serves its Prometheus metrics; off when unset. */
  workerMetricsPort?: number;
  /** Origins whose pages (the Temporal Web UI) may call the API's /codec routes: any, or these. */
  codecCorsOrigins: CorsOrigins;
  /** Bearer keys the API accepts (`CELERITY_API_KEYS`); none: the API is open. */
  apiKeys: ApiKey[];
  /** Requests per key (or client IP) per window (`CELERITY_RATE_LIMIT`); unset: no limit. */
  rateLimit?: RateLimit;
  /** Keys of the payload encryption (`CELERITY_ENCRYPTION_KEYS`); unset: payloads are stored as they are. */
  encryption?: EncryptionKeys;
}

/** Celery's warm shutdown, bounded: seconds running tasks get to finish when a worker stops. */
export const DEFAULT_SHUTDOWN_GRACE_S = 30;

/** `*` (any origin, without credentials) or a list of origins (credentials allowed). */
export type CorsOrigins = '*' | string[];

/** The project's root (where package.json, .data/ and .temporal/ live), from source or from dist/. */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(dir: string): string {
  if (existsSync(path.join(dir, 'package.json'))) return dir;
  const parent = path.dirname(dir);
  if (parent === dir) throw new Error('Celerity cannot find its package.json');
  return findProjectRoot(parent);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): CelerityConfig {
  const devUiPort = int(env, 'TEMPORAL_UI_PORT', 8233);
  const temporal = temporalSettings(env);
  return {
    temporalAddress: temporal.address,
    namespace: temporal.namespace ?? 'default',
    temporalConnection: temporal.connection,
    workflowQueue: env.CELERITY_WORKFLOW_QUEUE || 'celerity',
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 3000),
    keepAliveTimeoutS: int(env, 'CELERITY_KEEP_ALIVE_TIMEOUT', 65),
    devServerPort: int(env, 'TEMPORAL_PORT', 7233),
    devUiPort,
    // The project being run (the current directory), not Celerity's own folder: an installed
    // Celerity lives in node_modules, which a reinstall wipes.
    dataDir: path.resolve(env.CELERITY_DATA_DIR || '.data'),
    temporalUiUrl: (env.TEMPORAL_UI_URL || `http://127.0.0.1:${devUiPort}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL || 'info',
    workerShutdownGraceS: int(env, 'CELERITY_WORKER_SHUTDOWN_GRACE', DEFAULT_SHUTDOWN_GRACE_S),
    workflowBundle: env.CELERITY_WORKFLOW_BUNDLE ? path.resolve(env.CELERITY_WORKFLOW_BUNDLE) : undefined,
    workerMetricsPort: env.CELERITY_WORKER_METRICS_PORT ? int(env, 'CELERITY_WORKER_METRICS_PORT', 0) : undefined,
    codecCorsOrigins: corsOrigins(env.CELERITY_CODEC_CORS_ORIGIN),
    apiKeys: parseApiKeys(env.CELERITY_API_KEYS),
    rateLimit: parseRateLimit(env.CELERITY_RATE_LIMIT),
    encryption: parseEncryptionKeys(env.CELERITY_ENCRYPTION_KEYS),
  };
}

/** `CELERITY_CODEC_CORS_ORIGIN`: unset or `*` for any origin, else comma-separated origins. */
export function corsOrigins(raw: string | undefined): CorsOrigins {
  const origins = (raw ?? '').split(',').map((origin) => origin.trim().replace(/\/+$/, '')).filter(Boolean);
  return origins.length === 0 || origins.includes('*') ? '*' : origins;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return value;
}
