import { Inject, Injectable } from '@nestjs/common';
import type { CelerityClient } from '../../client/client.js';
import type { CallOptions } from '../../tasks/index.js';
import { CELERITY_CLIENT, UI_LINKS } from '../tokens.js';
import type { CallOptionsDto, SubmitTaskDto } from './dto/submit-task.dto.js';
import { toTaskDto, type TaskDto } from './dto/task.dto.js';

/** Speaks REST's snake_case JSON to the Celerity client. */
@Injectable()
export class TasksService {
  constructor(
    @Inject(CELERITY_CLIENT) private readonly client: CelerityClient,
    @Inject(UI_LINKS) private readonly uiLink: (id: string, runId: string | null) => string,
  ) {}

  async submit(body: SubmitTaskDto): Promise<{ created: boolean; task: TaskDto }> {
    const { created, task } = await this.client.apply({
      task: body.task,
      args: body.args,
      kwargs: body.kwargs,
      options: toCallOptions(body.options),
    });
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

  private dto(task: Parameters<typeof toTaskDto>[0]): TaskDto {
    return toTaskDto(task, this.uiLink);
  }
}

function toCallOptions(options: CallOptionsDto | undefined): CallOptions {
  if (!options) return {};
  return {
    taskId: options.task_id,
    countdown: options.countdown,
    eta: options.eta,
    expires: options.expires,
    queue: options.queue,
    priority: options.priority,
    maxRetries: options.max_retries,
    timeLimit: options.time_limit,
    softTimeLimit: options.soft_time_limit,
    ignoreResult: options.ignore_result,
    headers: options.headers,
  };
}
