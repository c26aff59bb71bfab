/** Connecting to Temporal: the embedded dev server or a real cluster (TLS, API key). */
import {
  Client, Connection, defaultGrpcRetryOptions, isGrpcServiceError, makeGrpcRetryInterceptor, type ConnectionOptions, type GrpcRetryOptions,
} from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { CelerityConfig } from '../config.js';
import { dataConverter } from './codec.js';
import { payloadLimitInterceptor } from './payload-limit.js';

type Address = Pick<CelerityConfig, 'temporalAddress' | 'temporalConnection' | 'devServerPort'>;
type ClientConfig = Address & Pick<CelerityConfig, 'namespace' | 'encryption'>;

/** Without an address, the embedded dev server's (TEMPORAL_PORT). */
function connectionOptions(config: Address): ConnectionOptions & NativeConnectionOptions {
  return { ...config.temporalConnection, address: config.temporalAddress ?? `127.0.0.1:${config.devServerPort}` };
}

export async function connectClient(config: ClientConfig): Promise<Client> {
  const options = connectionOptions(config);
  // A task's history holds its input and result twice each (workflow and activity), so one of
  // up to 2 MiB payloads is read back in a message of up to 8 MiB: past gRPC's 4 MiB default.
  // (The SDK means to raise it to 128 MiB but names the option without its `grpc.` prefix.)
  const channelArgs = {
    'grpc.max_receive_message_length': 128 * 1024 * 1024,
    // Reconnect within 2 s of the server's return: gRPC's own backoff grows to 2 minutes.
    'grpc.initial_reconnect_backoff_ms': 500,
    'grpc.max_reconnect_backoff_ms': 2000,
  };
  const interceptors = [makeGrpcRetryInterceptor(promptWhenUnavailable(defaultGrpcRetryOptions()))];
  const connection = await explained(options.address!, Connection.connect({ ...options, channelArgs, interceptors }));
  return celerityClient(connection, config);
}

/**
 * Celerity's Temporal client on a connection: its codec and its payload limit check. On a
 * worker's NativeConnection it can ask for eager workflow start (Temporal hands a workflow's
 * first task straight back to a worker in this process, without a trip through the task
 * queue). That connection retries an unreachable server for about 10 s, so TaskSender only
 * starts eagerly while the API's own connection is up.
 */
export function celerityClient(connection: Connection | NativeConnection, config: Pick<CelerityConfig, 'namespace' | 'encryption'>): Client {
  return new Client({ connection, namespace: config.namespace, dataConverter: dataConverter(config.encryption), interceptors: { workflow: [payloadLimitInterceptor] } });
}

export function connectWorker(config: Address): Promise<NativeConnection> {
  const options = connectionOptions(config);
  return explained(options.address!, NativeConnection.connect(options));
}

/** A connection failure that says where Celerity looked and what to do. */
async function explained<T>(address: string, connecting: Promise<T>): Promise<T> {
  try {
    return await connecting;
  } catch (err) {
    throw new Error(
      `cannot reach Temporal at ${address} (${(err as Error).message.split('\n')[0]}); ` +
        'start everything with `npm start`, or set TEMPORAL_ADDRESS to a running Temporal server',
    );
  }
}

/** grpc-js's ConnectivityState.READY: the channel holds a connection to the server. */
const CHANNEL_READY = 2;

/**
 * Whether a client made by connectClient holds a live connection to the server now, as its
 * gRPC channel last saw it (no request is sent to find out; a server that went away is seen at
 * once). False for any other client, e.g. one on a worker's NativeConnection.
 */
export function isConnected(client: Client): boolean {
  // The SDK keeps its grpc-js client protected; the channel's state is grpc-js's public API.
  const grpcClient = (client.connection as Partial<Connection>)['client' as keyof Connection] as
    | { getChannel(): { getConnectivityState(tryToConnect: boolean): number } }
    | undefined;
  return grpcClient?.getChannel().getConnectivityState(false) === CHANNEL_READY;
}

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
const RESOURCE_EXHAUSTED = 8;

/**
 * The SDK's retries, but an unavailable server is tried 4 times (about a second), not 10 (about
 * 20 s), so that a request answers 503 promptly while Temporal is down.
 */
function promptWhenUnavailable(retry: GrpcRetryOptions): GrpcRetryOptions {
  return {
    delayFunction: retry.delayFunction,
    retryableDecider: (attempt, status) => retry.retryableDecider(attempt, status) && (status.code !== UNAVAILABLE || attempt < 4),
  };
}

/** gRPC status codes that mean "not now": the server did not answer, or it is overloaded. */
const TRY_LATER_CODES = new Set([UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED]);

/** Whether an error (or one of its causes) says Temporal cannot serve now: worth a retry later. */
export function isTemporalUnavailable(err: unknown): boolean {
  for (let cause = err; cause instanceof Error; cause = cause.cause) {
    if (isGrpcServiceError(cause) && TRY_LATER_CODES.has(cause.code)) return true;
  }
  return false;
}
