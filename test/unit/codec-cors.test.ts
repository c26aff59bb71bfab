import type { NextFunction, Request, Response } from 'express';
import { codecCors } from '../../src/api/codec/cors.js';
import { corsOrigins } from '../../src/config.js';

describe('CELERITY_CODEC_CORS_ORIGIN', () => {
  it('allows any origin when unset or *, else the listed origins', () => {
    expect(corsOrigins(undefined)).toBe('*');
    expect(corsOrigins('')).toBe('*');
    expect(corsOrigins(' * ')).toBe('*');
    expect(corsOrigins('http://localhost:8233/, https://ui.example.com')).toEqual(['http://localhost:8233', 'https://ui.example.com']);
  });
});

/** Runs the middleware on a request with these headers; what it answered, and whether it passed on. */
function run(allowed: '*' | string[], method: string, headers: Record<string, string>) {
  const set: Record<string, string> = {};
  let status: number | undefined;
  let passed = false;
  const res = {
    setHeader: (name: string, value: string) => (set[name.toLowerCase()] = value),
    vary: (name: string) => (set.vary = name),
    status: (code: number) => ((status = code), res),
    end: () => res,
  };
  codecCors(allowed)({ method, headers } as unknown as Request, res as unknown as Response, (() => (passed = true)) as NextFunction);
  return { headers: set, status, passed };
}

describe('codecCors', () => {
  const preflight = { origin: 'http://localhost:8233', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' };

  it('answers a preflight itself, for any origin by default, without credentials', () => {
    const answer = run('*', 'OPTIONS', preflight);
    expect(answer).toMatchObject({ status: 204, passed: false });
    expect(answer.headers['access-control-allow-origin']).toBe('*');
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    expect(answer.headers['access-control-allow-headers']).toMatch(/X-Namespace/);
  });

  it('echoes a listed origin and allows credentials; an unlisted one gets no Allow-Origin', () => {
    const listed = run(['http://localhost:8233'], 'POST', { origin: 'http://localhost:8233' });
    expect(listed).toMatchObject({ passed: true, headers: { 'access-control-allow-origin': 'http://localhost:8233', 'access-control-allow-credentials': 'true', vary: 'Origin' } });
    const other = run(['http://localhost:8233'], 'OPTIONS', { ...preflight, origin: 'https://elsewhere.example' });
    expect(other.status).toBe(204);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
