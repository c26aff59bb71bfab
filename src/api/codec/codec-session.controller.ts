/**
 * A browser's key for the codec routes. The Temporal Web UI calls /codec from the browser and
 * cannot send an API key (it sends a token only when its users log in through OIDC), but it can
 * send cookies ("Include cross-origin credentials"). So a UI user opens /codec/session, enters a
 * key that may read, and the API keeps it in an HttpOnly, SameSite=Strict cookie sent to /codec
 * only; ApiKeyGuard accepts it there (see KeyCookie) and nowhere else.
 */
import { BadRequestException, Controller, Get, Header, HttpCode, Inject, NotFoundException, PayloadTooLargeException, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { allows, type ApiKeyring } from '../security/api-keys.js';
import { API_KEYRING } from '../security/api-key.guard.js';
import { CODEC_KEY_COOKIE, Public } from '../security/scope.decorator.js';

/** How long the browser keeps the key, in seconds: a working day. */
const COOKIE_MAX_AGE_S = 8 * 3600;
const FORM_LIMIT_BYTES = 4096;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The form, and what to do next in the UI (labels of Web UI 2.54). The UI's server-level codec
 * setting never sends cookies (the dev server cannot be told to), so the browser's own is needed.
 */
const page = (message: string, codecEndpoint: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Celerity codec key</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>Celerity codec key</h1>
<p>${escapeHtml(message)}</p>
<form method="post" action="session">
<label>API key (scope read or above): <input type="password" name="key" autocomplete="off" required></label>
<button type="submit">Use in this browser</button>
</form>
<p>Then, in the Temporal Web UI, open the Codec Server settings (the icon at the top right), choose
"Use my browser setting and ignore Cluster-level setting", enter <code>${escapeHtml(codecEndpoint)}</code> as the
browser endpoint, turn on "Include cross-origin credentials", and Apply.</p>
</body></html>`;

/** This API's /codec as the browser reached it. */
const codecEndpointOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}/codec`;

@ApiExcludeController()
@Public()
@Controller('codec/session')
export class CodecSessionController {
  constructor(@Inject(API_KEYRING) private readonly keyring: ApiKeyring | null) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  form(@Req() req: Request): string {
    this.keysOn();
    return page('The Temporal Web UI decodes encrypted payloads through this API, which needs an API key.', codecEndpointOf(req));
  }

  @Post()
  @HttpCode(200)
  async save(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string> {
    const keyring = this.keysOn();
    const secret = new URLSearchParams(await formBody(req)).get('key') ?? '';
    const key = keyring.identify(secret);
    if (!key) throw new UnauthorizedException('the API key is not valid');
    if (!allows(key.scope, 'read')) throw new UnauthorizedException(`the API key "${key.name}" has scope ${key.scope}; the codec needs read`);
    res.cookie(CODEC_KEY_COOKIE, secret, { httpOnly: true, secure: req.secure, sameSite: 'strict', path: '/codec', maxAge: COOKIE_MAX_AGE_S * 1000 });
    res.type('html');
    return page(`This browser now sends the key "${key.name}" to this API's /codec routes, for ${COOKIE_MAX_AGE_S / 3600} hours.`, codecEndpointOf(req));
  }

  private keysOn(): ApiKeyring {
    if (!this.keyring) throw new NotFoundException('API keys are off (CELERITY_API_KEYS): the codec needs no key');
    return this.keyring;
  }
}

/** The urlencoded body of the form (the API parses only JSON bodies), at most FORM_LIMIT_BYTES. */
async function formBody(req: Request): Promise<string> {
  if (!req.is('application/x-www-form-urlencoded')) throw new BadRequestException('send the form: key=<API key>, application/x-www-form-urlencoded');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT_BYTES) throw new PayloadTooLargeException(`the form is over ${FORM_LIMIT_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString();
}
