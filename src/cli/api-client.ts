/** The CLI speaks to Celerity's REST API (CELERITY_URL), so it works against any deployment. */
import type { components } from './api-types.js';

/** Exit codes a script can rely on. */
export const EXIT = {
  OK: 0,
  /** The task ended FAILURE or REVOKED. */
  TASK_FAILED: 1,
  /** Bad usage, or the API refused the request (unknown task, invalid arguments, no such id). */
  REJECTED: 2,
  /** The task was not ready before --timeout. */
  TIMEOUT: 3,
  /** The API could not be reached or failed. */
  UNAVAILABLE: 4,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The API's answers, as its /openapi.json declares them (generated: scripts/openapi-types.mjs). */
export type ApiSchemas = components['schemas'];
/** A task as the API shows it (GET /tasks/{id}). */
export type ApiTask = ApiSchemas['TaskDto'];

export class ApiClient {
  readonly baseUrl: string;

  /** `apiKey`: sent as `Authorization: Bearer`, for an API with keys (see the README's Security). */
  constructor(
    baseUrl = process.env.CELERITY_URL || 'http://127.0.0.1:3000',
    private readonly apiKey = process.env.CELERITY_API_KEY || undefined,
  ) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  get<T>(path: string): Promise<T> {
    return this.request('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request('POST', path, body);
  }

  delete(path: string): Promise<void> {
    return this.request('DELETE', path);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `cannot reach the Celerity API at ${this.baseUrl} (${cause?.code ?? cause?.message ?? (err as Error).message}); ` +
          'start it with `celerity dev` or `celerity api`, or point CELERITY_URL at it',
        EXIT.UNAVAILABLE,
      );
    }
    const text = await response.text();
    const parsed = text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
    if (!response.ok) {
      const message = typeof parsed === 'object' && parsed?.message ? parsed.message : text || response.statusText;
      throw new CliError(`${message} (HTTP ${response.status})`, response.status >= 500 ? EXIT.UNAVAILABLE : EXIT.REJECTED);
    }
    return parsed as T;
  }
}
