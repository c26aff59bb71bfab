/** Structured JSON request logs (pino), carrying the task id wherever a request concerns one task. */
import type { NextFunction, Request, Response } from 'express';
import { pino, type Level } from 'pino';
import { pinoHttp } from 'pino-http';

/** The task a request is about: its id in the path, or the id POST /tasks answered with. */
export function taskIdOf(path: string, answered: unknown): string | undefined {
  const match = /^\/tasks\/([^/?]+)/.exec(path);
  if (match && match[1] !== 'stats') return decoded(match[1]);
  return typeof answered === 'string' ? answered : undefined;
}

/** A path segment as its sender meant it; as sent when it is no valid percent-encoding (the route answers 400). */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The task a JSON response described (its id and name), as remembered by requestLogging's middleware. */
export function answeredTask(res: Response): { id?: unknown; task?: unknown } {
  return (res.locals.answeredTask as { id?: unknown; task?: unknown } | undefined) ?? {};
}

/**
 * Express middleware logging each request as one JSON line; `silent` logs nothing. It also
 * remembers the task a response describes (see answeredTask), for the log line and the metrics.
 */
export function requestLogging(level: Level | 'silent') {
  const logger = pino({ level, base: { service: 'celerity-api' }, timestamp: pino.stdTimeFunctions.isoTime });
  const log = pinoHttp({
    logger,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customProps: (req, res) => {
      const taskId = taskIdOf((req as Request).path ?? req.url ?? '', answeredTask(res as Response).id);
      return taskId ? { task_id: taskId } : {};
    },
    // Only these fields: headers carry API keys (Authorization, the codec's cookie) and are never logged.
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const json = res.json.bind(res);
    res.json = (body?: { id?: unknown; task?: unknown }) => {
      if (body && typeof body === 'object' && 'id' in body) res.locals.answeredTask = { id: body.id, task: body.task };
      return json(body);
    };
    log(req, res, next);
  };
}
