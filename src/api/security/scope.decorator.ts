/** What each route needs: `@RequireScope('read')` on a controller or route, `@Public()` for none. */
import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { errorSchema } from '../errors.js';
import { answer } from '../zod.js';
import type { Scope } from './api-keys.js';

export const SCOPE_METADATA = 'celerity:scope';
/** Routes that also take their key from the browser's codec cookie (see codec-session.controller.ts). */
export const KEY_COOKIE_METADATA = 'celerity:key-cookie';
/** The cookie holding a browser's key for the /codec routes. */
export const CODEC_KEY_COOKIE = 'celerity_codec_key';
/** The OpenAPI security scheme's name (see app.ts). */
export const BEARER_SCHEME = 'api-key';

/**
 * The scope a route needs when API keys are configured; the route's own wins over its
 * controller's. The OpenAPI document then shows the bearer scheme (declared once, by the
 * controller's) and the 401, 403 and 429 answers.
 */
export function RequireScope(scope: Scope): ClassDecorator & MethodDecorator {
  const responses = applyDecorators(
    ApiUnauthorizedResponse(answer(errorSchema, 'API keys are configured and the request has no valid `Authorization: Bearer <key>`.')),
    ApiForbiddenResponse(answer(errorSchema, `The API key's scope does not include \`${scope}\`.`)),
    ApiTooManyRequestsResponse(answer(errorSchema, 'The key (or client IP) is over CELERITY_RATE_LIMIT; `Retry-After` says when to try again, in seconds.')),
  );
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    SetMetadata(SCOPE_METADATA, scope)(target, key!, descriptor!);
    responses(target, key!, descriptor!);
    if (!descriptor) ApiBearerAuth(BEARER_SCHEME)(target as never);
  };
}

/** A route anyone may call, with or without keys (health probes). */
export function Public(): ClassDecorator & MethodDecorator {
  return SetMetadata(SCOPE_METADATA, 'public');
}

/** Lets a route take its key from the codec cookie when the request has no Authorization header. */
export function KeyCookie(): ClassDecorator & MethodDecorator {
  return SetMetadata(KEY_COOKIE_METADATA, CODEC_KEY_COOKIE);
}
