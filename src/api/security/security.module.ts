/**
 * The API's doors: bearer API keys with scopes (ApiKeyGuard) and, when configured, a request
 * rate limit per key (per client IP without keys) from @nestjs/throttler, 429 with Retry-After.
 */
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { ApiKeyring, type ApiKey } from './api-keys.js';
import { API_KEYRING, ApiKeyGuard, requestKey } from './api-key.guard.js';
import type { RateLimit } from './rate-limit.js';

export interface SecurityOptions {
  /** No keys: every route is open. */
  apiKeys: ApiKey[];
  /** Unset: no rate limit. */
  rateLimit?: RateLimit;
}

/** Who a request counts against: its key by name, else its client's address. */
const tracker = (req: Request): string => {
  const key = requestKey(req);
  return key ? `API key "${key.name}"` : `client ${req.ip}`;
};

@Module({})
export class SecurityModule {
  static forRoot(options: SecurityOptions): DynamicModule {
    // Guards run in this order: the key is known before the rate limit counts it.
    const providers: Provider[] = [
      { provide: API_KEYRING, useValue: options.apiKeys.length ? new ApiKeyring(options.apiKeys) : null },
      { provide: APP_GUARD, useClass: ApiKeyGuard },
    ];
    if (!options.rateLimit) return { module: SecurityModule, providers };
    const { limit, ttlMs } = options.rateLimit;
    const throttler = ThrottlerModule.forRoot({
      throttlers: [{ limit, ttl: ttlMs }],
      getTracker: (req) => tracker(req as Request),
      // One count per key across all routes (the library's default counts each route apart).
      generateKey: (_context, who, name) => `${name}:${who}`,
      errorMessage: (_context, detail) =>
        `${detail.tracker} sent more than ${limit} requests in ${ttlMs / 1000} s (CELERITY_RATE_LIMIT); retry after ${detail.timeToBlockExpire} s`,
    });
    return { module: SecurityModule, imports: [throttler], providers: [...providers, { provide: APP_GUARD, useClass: ThrottlerGuard }] };
  }
}
