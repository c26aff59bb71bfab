/** The environment of a `celerity dev` run by a test: its own free ports, never 3000/7233/8233. */
import { findTemporalCli } from '../../src/temporal/cli.js';
import { freePort } from '../../src/temporal/dev-server.js';

/** This process's environment with free API, Temporal and UI ports, the provisioned CLI, and `extra`. */
export async function devEnv(extra: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const [port, temporalPort, uiPort, cli] = await Promise.all([freePort(), freePort(), freePort(), findTemporalCli({ install: false })]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    TEMPORAL_CLI: cli,
    ...extra,
  };
  // Set, it would make `celerity dev` use that server instead of starting its own.
  delete env.TEMPORAL_ADDRESS;
  return env;
}
