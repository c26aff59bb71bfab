/** The API's doors: bearer API keys with scopes, checked by ApiKeyGuard on every route. */
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyring, type ApiKey } from './api-keys.js';
import { API_KEYRING, ApiKeyGuard } from './api-key.guard.js';
import type { RateLimit } from './rate-limit.js';

export interface SecurityOptions {
  /** No keys: every route is open. */
  apiKeys: ApiKey[];
  /** Unset: no rate limit (see rateLimiter, applied in app.ts). */
  rateLimit?: RateLimit;
}

/** Global: the codec's session route checks keys too. */
@Global()
@Module({})
export class SecurityModule {
  static forRoot(options: SecurityOptions): DynamicModule {
    return {
      module: SecurityModule,
      providers: [
        { provide: API_KEYRING, useValue: options.apiKeys.length ? new ApiKeyring(options.apiKeys) : null },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
      ],
      exports: [API_KEYRING],
    };
  }
}
