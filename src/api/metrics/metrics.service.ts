import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { TaskSearch } from '../../client/search.js';
import type { TaskRegistry } from '../../tasks/index.js';
import { answeredTask } from '../logging.js';
import { TASK_REGISTRY } from '../tokens.js';

/** The route a request matched, as declared (`/tasks/:id`), so ids never become label values. */
export function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: string } }).route?.path;
  return route ? `${req.baseUrl}${route}` : 'unmatched';
}

/** The API's Prometheus metrics; one registry per app, so tests may run several apps in one process. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Histogram({
    name: 'celerity_http_request_duration_seconds',
    help: 'API requests by method, route and status, with their latency',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly submitted = new Counter({
    name: 'celerity_tasks_submitted_total',
    help: 'Tasks accepted by POST /tasks, by task name as the API answered it (an existing task_id sent again is not counted)',
    labelNames: ['task'] as const,
    registers: [this.registry],
  });

  constructor(@Inject(TaskSearch) search: TaskSearch, @Inject(TASK_REGISTRY) tasks: TaskRegistry) {
    collectDefaultMetrics({ register: this.registry, prefix: 'celerity_api_' });
    new Gauge({
      name: 'celerity_tasks',
      help: 'Tasks Temporal knows of (within the namespace\'s retention), by task name and state, read from visibility at scrape time; RUNNING is every task not ready yet, FAILURE includes expired ones',
      labelNames: ['task', 'state'] as const,
      registers: [this.registry],
      async collect() {
        const stats = await search.stats({}, tasks.list().map((task) => task.name));
        this.reset();
        for (const [task, counts] of Object.entries(stats.byTask)) {
          for (const [state, count] of Object.entries(counts.byState)) this.set({ task, state }, count);
        }
      },
    });
  }

  /** Express middleware: times every request and counts accepted tasks (after requestLogging, which remembers them). */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const stop = this.requests.startTimer();
    res.once('finish', () => {
      const route = routeOf(req);
      stop({ method: req.method, route, status: String(res.statusCode) });
      const { task } = answeredTask(res);
      if (req.method === 'POST' && route === '/tasks' && res.statusCode === 202 && typeof task === 'string') this.submitted.inc({ task });
    });
    next();
  };
}
