/** Connecting to Temporal: the embedded dev server or a real cluster (TLS, API key). */
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { CelerityConfig } from '../config.js';

type Address = Pick<CelerityConfig, 'temporalAddress' | 'apiKey' | 'tls' | 'tlsCertPath' | 'tlsKeyPath'>;

function connectionOptions(config: Address): ConnectionOptions & NativeConnectionOptions {
  const tls =
    config.tlsCertPath && config.tlsKeyPath
      ? { clientCertPair: { crt: readFileSync(config.tlsCertPath), key: readFileSync(config.tlsKeyPath) } }
      : config.tls;
  return { address: config.temporalAddress ?? '127.0.0.1:7233', tls, apiKey: config.apiKey };
}

export async function connectClient(config: Address & Pick<CelerityConfig, 'namespace'>): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.namespace });
}

export function connectWorker(config: Address): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(config));
}
