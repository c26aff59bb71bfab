/**
 * CORS for the /codec routes only: the Temporal Web UI runs on another origin (another port in
 * development) and its browser calls them with `Content-Type: application/json`,
 * `X-Namespace` and, when the UI passes an access token, `Authorization`, so every call is
 * preflighted. The rest of the API sends no CORS headers.
 *
 * With `*` (the default) any origin may call them, without credentials: with encryption on, the
 * routes' API key (src/api/security) is what guards the decrypted data, not the origin. With a
 * list of origins, a listed origin is echoed back and credentials are allowed too (the UI's
 * "Include cross-origin credentials").
 */
import type { NextFunction, Request, Response } from 'express';
import type { CorsOrigins } from '../../config.js';

export const CODEC_ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization';
export const CODEC_ALLOWED_METHODS = 'POST, OPTIONS';
/** How long a browser may reuse a preflight's answer, in seconds (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_S = 7200;

export function codecCors(allowed: CorsOrigins) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (allowed === '*') {
      res.setHeader('Access-Control-Allow-Origin', '*');
    } else {
      res.vary('Origin');
      if (origin && allowed.includes(origin)) {
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
      }
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.setHeader('Access-Control-Allow-Methods', CODEC_ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', CODEC_ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_S));
      res.status(204).end();
      return;
    }
    next();
  };
}
