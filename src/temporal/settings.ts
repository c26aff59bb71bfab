/**
 * Where Temporal is and how to reach it, the Temporal way (@temporalio/envconfig): the standard
 * variables TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS,
 * TEMPORAL_TLS_CLIENT_CERT_PATH / _KEY_PATH, TEMPORAL_TLS_SERVER_CA_CERT_PATH,
 * TEMPORAL_TLS_SERVER_NAME, TEMPORAL_GRPC_META_*, and TOML profiles (TEMPORAL_PROFILE,
 * TEMPORAL_CONFIG_FILE, default ~/.config/temporalio/temporal.toml), the variables winning.
 * Celerity's earlier TEMPORAL_TLS_CERT / TEMPORAL_TLS_KEY still work, as aliases of the
 * client certificate and key paths.
 */
import { loadClientConnectConfig } from '@temporalio/envconfig';

/** Everything but the address: TLS (client certificate, server CA, server name), API key, gRPC metadata. */
export type TemporalConnectionSettings = Omit<ReturnType<typeof loadClientConnectConfig>['connectionOptions'], 'address'>;

export interface TemporalSettings {
  /** Unset: `celerity dev` starts the embedded dev server. */
  address?: string;
  namespace?: string;
  connection: TemporalConnectionSettings;
}

const ALIASES: Record<string, string> = {
  TEMPORAL_TLS_CERT: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_TLS_KEY: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
};

/**
 * The settings in `env` (and the profile it names).
 * @throws Error naming the variable or file when a profile or certificate cannot be read.
 */
export function temporalSettings(env: NodeJS.ProcessEnv): TemporalSettings {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== '') vars[name] = value;
  for (const [alias, name] of Object.entries(ALIASES)) if (vars[alias] && !vars[name]) vars[name] = vars[alias];
  let loaded: ReturnType<typeof loadClientConnectConfig>;
  try {
    loaded = loadClientConnectConfig({ overrideEnvVars: vars });
  } catch (err) {
    throw new Error(`Temporal's connection settings (TEMPORAL_* variables, TEMPORAL_PROFILE, TEMPORAL_CONFIG_FILE) cannot be read: ${(err as Error).message}`);
  }
  const { address, ...connection } = loaded.connectionOptions;
  return { address: address || undefined, namespace: loaded.namespace || undefined, connection };
}
