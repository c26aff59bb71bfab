import { jest } from '@jest/globals';
import * as crypto from 'node:crypto';

// Wraps node:crypto's timingSafeEqual to see that every key is compared with it.
const timingSafeEqual = jest.fn(crypto.timingSafeEqual);
jest.unstable_mockModule('node:crypto', () => ({ ...crypto, default: crypto, timingSafeEqual }));
const { allows, ApiKeyring, bearerSecret, parseApiKeys } = await import('../../src/api/security/api-keys.js');
const { parseRateLimit } = await import('../../src/api/security/rate-limit.js');
const { uiCodecOrigins } = await import('../../src/cli/dev.js');

const SECRET_A = 'a-secret-of-enough-length-1';
const SECRET_B = 'b-secret-of-enough-length-2';

describe('parseApiKeys', () => {
  it('reads name:scope:secret entries; a secret may hold colons', () => {
    expect(parseApiKeys(`ci:submit:${SECRET_A}, ops:admin:x:${SECRET_B}`)).toEqual([
      { name: 'ci', scope: 'submit', secret: SECRET_A },
      { name: 'ops', scope: 'admin', secret: `x:${SECRET_B}` },
    ]);
    expect(parseApiKeys(undefined)).toEqual([]);
  });

  it.each([
    ['ci', /entry 1 \("ci"\) must be name:scope:secret/],
    [`ci:write:${SECRET_A}`, /entry 1 \("ci"\): scope must be one of read, submit, admin, got "write"/],
    ['ci:read:short-secret', /entry 1 \("ci"\): the secret must be at least 16 characters/],
    [`ci:read:${SECRET_A},ci:admin:${SECRET_B}`, /entry 2 \("ci"\): the name is given twice/],
  ])('refuses %j without echoing a secret', (raw, message) => {
    expect(() => parseApiKeys(raw)).toThrow(message);
    try {
      parseApiKeys(raw);
    } catch (err) {
      for (const secret of [SECRET_A, SECRET_B, 'short-secret']) expect((err as Error).message).not.toContain(secret);
    }
  });
});

describe('scopes', () => {
  it('nest: admin includes submit and read, submit includes read', () => {
    expect(allows('admin', 'submit') && allows('admin', 'read') && allows('submit', 'read')).toBe(true);
    expect(allows('read', 'submit') || allows('submit', 'admin') || allows('read', 'admin')).toBe(false);
  });
});

describe('ApiKeyring', () => {
  const keyring = new ApiKeyring(parseApiKeys(`a:read:${SECRET_A},b:admin:${SECRET_B}`));

  it('finds a key by its secret, comparing digests of equal length with timingSafeEqual against every key', () => {
    timingSafeEqual.mockClear();
    expect(keyring.identify(SECRET_A)?.name).toBe('a');
    // No early exit at the first match.
    expect(timingSafeEqual).toHaveBeenCalledTimes(2);
    for (const [left, right] of timingSafeEqual.mock.calls) expect([(left as Buffer).length, (right as Buffer).length]).toEqual([32, 32]);
    timingSafeEqual.mockClear();
    expect(keyring.identify('a')).toBeUndefined();
    expect(keyring.identify(`${SECRET_B}x`)).toBeUndefined();
    expect(timingSafeEqual).toHaveBeenCalledTimes(4);
  });

  it('reads the secret of a Bearer header only', () => {
    expect(bearerSecret(`Bearer ${SECRET_A}`)).toBe(SECRET_A);
    expect(bearerSecret(`bearer  ${SECRET_A} `)).toBe(SECRET_A);
    expect(bearerSecret(`Basic ${SECRET_A}`)).toBeUndefined();
    expect(bearerSecret(undefined)).toBeUndefined();
  });
});

describe('parseRateLimit', () => {
  it('reads requests per second, minute or hour; off when unset', () => {
    expect(parseRateLimit('100/s')).toEqual({ limit: 100, ttlMs: 1000 });
    expect(parseRateLimit(' 600 / m ')).toEqual({ limit: 600, ttlMs: 60_000 });
    expect(parseRateLimit('10000/h')).toEqual({ limit: 10_000, ttlMs: 3_600_000 });
    expect(parseRateLimit(undefined)).toBeUndefined();
  });

  it.each(['0/s', '10', '10/d', '1.5/s', 'lots'])('refuses %j', (raw) => {
    expect(() => parseRateLimit(raw)).toThrow('CELERITY_RATE_LIMIT must be requests per s, m or h, such as 600/m');
  });
});

describe('the embedded Web UI and the codec', () => {
  it('is allowed to send its cookie to /codec when API keys are on, unless origins are configured', () => {
    const keys = parseApiKeys(`a:read:${SECRET_A}`);
    expect(uiCodecOrigins({ apiKeys: keys, codecCorsOrigins: '*', devUiPort: 8233 })).toEqual(['http://127.0.0.1:8233', 'http://localhost:8233']);
    expect(uiCodecOrigins({ apiKeys: [], codecCorsOrigins: '*', devUiPort: 8233 })).toBe('*');
    expect(uiCodecOrigins({ apiKeys: keys, codecCorsOrigins: ['https://ui.example.com'], devUiPort: 8233 })).toEqual(['https://ui.example.com']);
  });
});
