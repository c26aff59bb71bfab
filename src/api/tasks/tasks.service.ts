import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import { parseCanvas, strictCallOptions } from '../../canvas/parse.js';
import type { CanvasJson } from '../../canvas/schema.js';
import type { CelerityClient } from '../../client/client.js';
import { TaskSearch } from '../../client/search.js';
import { isReady } from '../../client/state.js';
import type { TaskRegistry } from '../../tasks/index.js';
import { CELERITY_CLIENT, TASK_REGISTRY, UI_LINKS } from '../tokens.js';
import {
  toTaskFilter, toTaskPageDto, toTaskStatsDto, type ListTasksQuery, type TaskFilterQuery, type TaskPageDto, type TaskStatsDto,
} from './dto/list-tasks.dto.js';
import { toTaskDto, type TaskDto } from './dto/task.dto.js';

/** Speaks REST's snake_case JSON to the Celerity client. */
@Injectable()
export class TasksService {
  constructor(
    @Inject(CELERITY_CLIENT) private readonly client: CelerityClient,
    @Inject(UI_LINKS) private readonly uiLink: (id: string, runId: string | null) => string,
    @Inject(TaskSearch) private readonly search: TaskSearch,
    @Inject(TASK_REGISTRY) private readonly registry: TaskRegistry,
  ) {}

  /** A signature or a canvas, in either JSON form; checked whole (CanvasError naming the field) before anything starts. */
  async submit(body: CanvasJson): Promise<{ created: boolean; task: TaskDto }> {
    const { created, task } = await this.client.applyCanvas(parseCanvas(body, strictCallOptions));
    return { created, task: this.dto(task) };
  }

  async get(id: string): Promise<TaskDto> {
    return this.dto(await this.client.get(id));
  }

  async waitResult(id: string, timeoutS: number): Promise<TaskDto> {
    return this.dto(await this.client.waitResult(id, timeoutS));
  }

  async revoke(id: string, terminate: boolean, reason?: string): Promise<TaskDto> {
    return this.dto(await this.client.revoke(id, { terminate, reason }));
  }

  async list(query: ListTasksQuery): Promise<TaskPageDto> {
    return toTaskPageDto(await this.search.list(toTaskFilter(query), query.limit ?? 20, query.page_token), this.uiLink);
  }

  async stats(query: TaskFilterQuery): Promise<TaskStatsDto> {
    const names = this.registry.list().map((task) => task.name);
    return toTaskStatsDto(await this.search.stats(toTaskFilter(query), names), query);
  }

  /** The task each time its state, meta or retries change, polled every 250 ms, until it is ready. */
  async *changes(id: string, stop: AbortSignal): AsyncGenerator<TaskDto> {
    let last: string | undefined;
    while (!stop.aborted) {
      const task = await this.get(id);
      const seen = JSON.stringify([task.state, task.meta, task.retries]);
      if (seen !== last) yield task;
      last = seen;
      if (isReady(task.state)) return;
      await sleep(250, undefined, { signal: stop }).catch(() => undefined);
    }
  }

  private dto(task: Parameters<typeof toTaskDto>[0]): TaskDto {
    return toTaskDto(task, this.uiLink);
  }
}
