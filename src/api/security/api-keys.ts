/**
 * API keys (pure: no Nest, no I/O): bearer secrets from configuration, each with a name (what
 * logs, errors and rate limits call it) and a scope. Scopes nest: `read` reads tasks, schedules,
 * workers, queues and metrics and decodes payloads (/codec); `submit` also sends tasks;
 * `admin` also revokes tasks and writes schedules.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const SCOPES = ['read', 'submit', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKey {
  name: string;
  scope: Scope;
  secret: string;
}

/** The shortest secret accepted, in characters: a guessable key protects nothing. */
export const MIN_SECRET_LENGTH = 16;

/**
 * Reads `CELERITY_API_KEYS`: `name:scope:secret,name:scope:secret,...` (a secret may hold `:`,
 * not `,`). Unset or empty: no keys, every route is open.
 * @throws Error naming the entry (by position and name, never its secret) that is malformed.
 */
export function parseApiKeys(raw: string | undefined): ApiKey[] {
  const entries = (raw ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  const keys: ApiKey[] = [];
  for (const [i, entry] of entries.entries()) {
    const [name = '', scope = '', ...rest] = entry.split(':');
    const secret = rest.join(':');
    const where = `CELERITY_API_KEYS entry ${i + 1}${name ? ` ("${name}")` : ''}`;
    if (!name || rest.length === 0) throw new Error(`${where} must be name:scope:secret`);
    if (!(SCOPES as readonly string[]).includes(scope)) throw new Error(`${where}: scope must be one of ${SCOPES.join(', ')}, got "${scope}"`);
    if (secret.length < MIN_SECRET_LENGTH) throw new Error(`${where}: the secret must be at least ${MIN_SECRET_LENGTH} characters`);
    if (keys.some((key) => key.name === name)) throw new Error(`${where}: the name is given twice`);
    keys.push({ name, scope: scope as Scope, secret });
  }
  return keys;
}

/** Whether a key of scope `granted` may call a route that needs `required` (scopes nest). */
export function allows(granted: Scope, required: Scope): boolean {
  return SCOPES.indexOf(granted) >= SCOPES.indexOf(required);
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The configured keys, found by secret in constant time. */
export class ApiKeyring {
  private readonly digests: Array<{ key: ApiKey; digest: Buffer }>;

  constructor(keys: ApiKey[]) {
    this.digests = keys.map((key) => ({ key, digest: digest(key.secret) }));
  }

  /**
   * The key whose secret this is, or undefined. Secrets are compared as SHA-256 digests (equal
   * lengths) with timingSafeEqual, against every key without stopping at a match, so the time
   * taken tells nothing about any secret.
   */
  identify(secret: string): ApiKey | undefined {
    const candidate = digest(secret);
    let found: ApiKey | undefined;
    for (const { key, digest: known } of this.digests) {
      if (timingSafeEqual(candidate, known)) found = key;
    }
    return found;
  }
}

/** The secret of an `Authorization: Bearer <secret>` header, or undefined. */
export function bearerSecret(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}
