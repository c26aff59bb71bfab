/** Per-key request rate limits (pure): `CELERITY_RATE_LIMIT`, in Celery's rate notation. */

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  /** The window, in milliseconds. */
  ttlMs: number;
}

const WINDOW_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * `100/s`, `600/m` or `10000/h`: that many requests per API key (or per client IP without keys)
 * per second, minute or hour. Unset or empty: no limit.
 * @throws Error saying the expected form.
 */
export function parseRateLimit(raw: string | undefined): RateLimit | undefined {
  if (!raw?.trim()) return undefined;
  const match = /^\s*(\d+)\s*\/\s*([smh])\s*$/.exec(raw);
  const limit = match ? Number(match[1]) : 0;
  if (!match || !Number.isSafeInteger(limit) || limit < 1) {
    throw new Error(`CELERITY_RATE_LIMIT must be requests per s, m or h, such as 600/m; got ${JSON.stringify(raw)}`);
  }
  return { limit, ttlMs: WINDOW_MS[match[2]] };
}
