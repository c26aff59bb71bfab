/** The `celerity api` process: connects to Temporal and serves the REST API. */
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { NativeConnection } from '@temporalio/worker';
import { Schedules } from '../beat/schedules.js';
import { CelerityClient } from '../client/client.js';
import type { CelerityConfig } from '../config.js';
import type { TaskRegistry } from '../tasks/index.js';
import { celerityClient, connectClient } from '../temporal/connection.js';
import { ensureSearchAttributes } from '../temporal/search-attributes.js';
import { createApi } from './app.js';

export interface ApiServer {
  url: string;
  app: INestApplication;
  close(): Promise<void>;
}

/**
 * Serves the REST API. `workerConnection`: the connection of a worker in this process that runs
 * Celerity's workflows (`celerity dev`), for eager workflow start (see CelerityClientOptions).
 */
export async function startApi(config: CelerityConfig, registry: TaskRegistry, quiet = false, workerConnection?: NativeConnection): Promise<ApiServer> {
  const temporal = await connectClient(config);
  await ensureSearchAttributes(temporal, config.namespace, (message) => console.warn(`[celerity] ${message}`));
  const eagerStart = workerConnection && celerityClient(workerConnection, config);
  const client = new CelerityClient({ client: temporal, registry, workflowQueue: config.workflowQueue, eagerStart });
  const ui = `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.namespace)}/workflows`;
  const app = await createApi(
    {
      client,
      registry,
      temporal,
      workflowQueue: config.workflowQueue,
      schedules: new Schedules({ temporal, celerity: client, workflowQueue: config.workflowQueue }),
      uiLink: (id, runId) => `${ui}/${encodeURIComponent(id)}${runId ? `/${runId}` : ''}`,
      codecCorsOrigins: config.codecCorsOrigins,
      security: { apiKeys: config.apiKeys, rateLimit: config.rateLimit },
      encryption: config.encryption,
    },
    quiet ? false : undefined,
  );
  keepConnectionsAlive(app.getHttpServer(), config.keepAliveTimeoutS);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  return {
    url: `http://${config.host}:${address.port}`,
    app,
    close: async () => {
      await app.close();
      await temporal.connection.close();
    },
  };
}

/**
 * Node closes a keep-alive connection idle for 5 s by default: a client (a load balancer, an
 * SDK's connection pool) that sends its next request on it at that moment gets ECONNRESET. Kept
 * open longer than the client's own idle timeout, the client always closes first; Node tells
 * clients the timeout in its Keep-Alive header. The headers timeout (60 s by default) must
 * exceed it, or Node may cut off a connection idle for longer than that before its next request.
 */
function keepConnectionsAlive(server: Server, idleS: number): void {
  server.keepAliveTimeout = idleS * 1000;
  server.headersTimeout = Math.max(server.headersTimeout, (idleS + 1) * 1000);
}
