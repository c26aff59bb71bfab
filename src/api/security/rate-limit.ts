/** Per-key request rate limits: `CELERITY_RATE_LIMIT`, in Celery's rate notation. */
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit as expressRateLimit } from 'express-rate-limit';
import { ApiKeyring, bearerSecret, type ApiKey } from './api-keys.js';

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

/**
 * Express middleware (express-rate-limit) counting each request against its API key, by name,
 * or, without a known key, its client's address: past the limit it answers 429 in the API's
 * error shape with `Retry-After` (seconds). Health probes are never counted. Counts are kept in
 * this process: each API instance limits on its own.
 */
export function rateLimiter(rateLimit: RateLimit, apiKeys: ApiKey[]): RequestHandler {
  const keyring = new ApiKeyring(apiKeys);
  const whoIs = (req: Request): string => {
    const secret = bearerSecret(req.headers.authorization);
    const key = secret === undefined ? undefined : keyring.identify(secret);
    return key ? `API key "${key.name}"` : `client ${ipKeyGenerator(req.ip ?? '')}`;
  };
  return expressRateLimit({
    windowMs: rateLimit.ttlMs,
    limit: rateLimit.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (req) => req.path === '/health' || req.path.startsWith('/health/'),
    keyGenerator: whoIs,
    handler: (req, res) => {
      const retryAfter = res.getHeader('Retry-After');
      res.status(429).json({
        statusCode: 429,
        error: 'Too Many Requests',
        message: `${whoIs(req)} sent more than ${rateLimit.limit} requests in ${rateLimit.ttlMs / 1000} s (CELERITY_RATE_LIMIT); retry after ${retryAfter} s`,
      });
    },
  });
}
