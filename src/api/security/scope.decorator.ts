/** What each route needs: `@RequireScope('read')` on a controller or route, `@Public()` for none. */
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { ErrorDto } from '../errors.js';
import type { Scope } from './api-keys.js';

export const SCOPE_METADATA = 'celerity:scope';
/** The OpenAPI security scheme's name (see app.ts). */
export const BEARER_SCHEME = 'api-key';

/** The scope a route needs when API keys are configured; the route's own wins over its controller's. */
export function RequireScope(scope: Scope): ClassDecorator & MethodDecorator {
  return applyDecorators(
    SetMetadata(SCOPE_METADATA, scope),
    ApiBearerAuth(BEARER_SCHEME),
    ApiUnauthorizedResponse({ type: ErrorDto, description: 'API keys are configured and the request has no valid `Authorization: Bearer <key>`.' }),
    ApiForbiddenResponse({ type: ErrorDto, description: `The API key's scope does not include \`${scope}\`.` }),
    ApiTooManyRequestsResponse({ type: ErrorDto, description: 'The key (or client IP) is over CELERITY_RATE_LIMIT; `Retry-After` says when to try again, in seconds.' }),
  );
}

/** A route anyone may call, with or without keys, and never rate-limited (health probes). */
export function Public(): ClassDecorator & MethodDecorator {
  return applyDecorators(SetMetadata(SCOPE_METADATA, 'public'), SkipThrottle());
}
