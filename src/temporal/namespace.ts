/**
 * Preparing a real Temporal cluster for Celerity (`celerity setup`): its namespace and Celerity's
 * search attributes. The embedded dev server gets both at start; Temporal Cloud namespaces are
 * created in Cloud's own console, where this step only checks and says what is missing.
 */
import type { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { ensureSearchAttributes } from './search-attributes.js';

/** How long a namespace keeps a closed task's history (Celery's `result_expires`). */
export const DEFAULT_RETENTION_S = 3 * 24 * 3600;

/** gRPC ALREADY_EXISTS. */
const ALREADY_EXISTS = 6;

/**
 * Creates `namespace` with `retentionS` seconds of retention unless it exists, then registers
 * Celerity's search attributes on it. A namespace is usable by every frontend only after the
 * server's namespace cache refreshes (about 10 s), so this waits until it describes.
 * @throws the server's error when the namespace can be neither created nor described.
 */
export async function ensureNamespace(client: Client, namespace: string, retentionS: number, log: (message: string) => void): Promise<void> {
  const service = client.connection.workflowService;
  try {
    await service.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(retentionS * 1000) });
    log(`created namespace ${namespace} (retention ${retentionS} s)`);
  } catch (err) {
    if ((err as { code?: number }).code !== ALREADY_EXISTS) throw err;
    log(`namespace ${namespace} exists`);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await service.describeNamespace({ namespace });
      break;
    } catch (err) {
      if (attempt >= 60) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  await ensureSearchAttributes(client, namespace, log);
}
