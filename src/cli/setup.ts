/** `celerity setup`: prepares a real Temporal cluster (namespace, search attributes) before APIs and workers start. */
import { InvalidArgumentError, type Command } from 'commander';
import { msToNumber } from '@temporalio/common/lib/time.js';
import { loadConfig } from '../config.js';
import { connectClient } from '../temporal/connection.js';
import { DEFAULT_RETENTION_S, ensureNamespace } from '../temporal/namespace.js';

export function addSetupCommand(program: Command): void {
  program
    .command('setup')
    .description("prepare a Temporal cluster: create TEMPORAL_NAMESPACE unless it exists and register Celerity's search attributes")
    .option('--retention <duration>', "how long closed tasks' histories are kept, e.g. 72h or 30d (new namespaces only)", retention, DEFAULT_RETENTION_S)
    .option('--wait <seconds>', 'how long to wait for the server to answer', (v) => Number(v), 60)
    .action(async (options: { retention: number; wait: number }) => {
      const config = loadConfig();
      const log = (message: string) => console.log(`[celerity] ${message}`);
      const deadline = Date.now() + options.wait * 1000;
      for (;;) {
        try {
          const client = await connectClient(config);
          try {
            await ensureNamespace(client, config.namespace, options.retention, log);
          } finally {
            await client.connection.close();
          }
          return;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    });
}

function retention(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : safeMs(value);
  if (!(ms >= 24 * 3600 * 1000)) throw new InvalidArgumentError('--retention must be a duration of at least 1 day (Temporal\'s minimum), e.g. 72h or 30d');
  return Math.round(ms / 1000);
}

function safeMs(value: string): number {
  try {
    return msToNumber(value as Parameters<typeof msToNumber>[0]);
  } catch {
    return NaN;
  }
}
