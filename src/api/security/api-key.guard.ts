import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { allows, bearerSecret, type ApiKeyring, type Scope } from './api-keys.js';
import { KEY_COOKIE_METADATA, SCOPE_METADATA } from './scope.decorator.js';

export const API_KEYRING = Symbol('ApiKeyring');

/** The scope a route needs: its own, else its controller's, else `admin` (a route nobody marked is closed). */
export function requiredScope(reflector: Reflector, context: ExecutionContext): Scope | 'public' {
  return reflector.getAllAndOverride<Scope | 'public' | undefined>(SCOPE_METADATA, [context.getHandler(), context.getClass()]) ?? 'admin';
}

/**
 * Checks the bearer key of every request when keys are configured: 401 (with
 * `WWW-Authenticate: Bearer`) without a known key, 403 when its scope falls short. Without
 * keys every route is open, as before keys existed.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    @Inject(API_KEYRING) private readonly keyring: ApiKeyring | null,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const required = requiredScope(this.reflector, context);
    if (!this.keyring || required === 'public') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const secret = req.headers.authorization === undefined ? this.cookieSecret(req, context) : bearerSecret(req.headers.authorization);
    const key = secret === undefined ? undefined : this.keyring.identify(secret);
    if (!key) {
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="celerity"');
      throw new UnauthorizedException(
        secret === undefined ? 'an API key is required: send Authorization: Bearer <key>' : 'the API key is not valid',
      );
    }
    if (!allows(key.scope, required)) {
      throw new ForbiddenException(`the API key "${key.name}" has scope ${key.scope}; this route needs ${required}`);
    }
    return true;
  }

  /** The key in the cookie the route accepts (KeyCookie), if any. */
  private cookieSecret(req: Request, context: ExecutionContext): string | undefined {
    const name = this.reflector.getAllAndOverride<string | undefined>(KEY_COOKIE_METADATA, [context.getHandler(), context.getClass()]);
    if (!name) return undefined;
    for (const pair of (req.headers.cookie ?? '').split(';')) {
      const [key, ...value] = pair.trim().split('=');
      if (key === name) {
        try {
          return decodeURIComponent(value.join('='));
        } catch {
          return undefined;
        }
      }
    }
    return undefined;
  }
}
