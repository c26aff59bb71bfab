import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse,
  ApiProduces, ApiServiceUnavailableResponse, ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { errorSchema } from '../errors.js';
import {
  listTasksQuerySchema, taskFilterQuerySchema, taskPageSchema, taskStatsSchema, type ListTasksQuery, type TaskFilterQuery, type TaskPageDto, type TaskStatsDto,
} from './dto/list-tasks.dto.js';
import { canvasSchema, type CanvasJson } from '../../canvas/schema.js';
import { resultQuerySchema, revokeTaskSchema, taskSchema, type TaskDto } from './dto/task.dto.js';
import type { z } from 'zod';
import { TasksService } from './tasks.service.js';
import { RequireScope } from '../security/scope.decorator.js';
import { answer, documented, SchemaBody, SchemaQuery } from '../zod.js';

@ApiTags('tasks')
@RequireScope('read')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Post()
  @RequireScope('submit')
  @ApiOperation({ summary: 'Send a task (Celery apply_async)', description: 'Starts one durable Temporal workflow whose id is the task id.' })
  @ApiAcceptedResponse(answer(taskSchema, 'The task was accepted.'))
  @ApiOkResponse(answer(taskSchema, 'A task with this task_id exists; it is returned and not run again.'))
  @ApiBadRequestResponse(answer(errorSchema, 'The body is invalid (a field, an integer beyond 2^53, nesting too deep); the message names the path.'))
  @ApiNotFoundResponse(answer(errorSchema, 'No task with this name is registered.'))
  @ApiPayloadTooLargeResponse(answer(errorSchema, 'The body is over 32 MB, or the task\'s or canvas\'s input is over Temporal\'s payload limit (2 MB) once gzipped.'))
  @ApiBody({ schema: documented(canvasSchema), description: 'A signature or a canvas, natively or as Celery\'s signature dict, signatures nested up to 64 levels deep; integers must be within ±(2^53 − 1) (send larger ones as strings).' })
  // Checked by the canvas parser as it reads the body, node by node (so its depth is bounded first).
  async submit(@Body() body: CanvasJson, @Res({ passthrough: true }) res: Response): Promise<TaskDto> {
    const { created, task } = await this.tasks.submit(body);
    res.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return task;
  }

  @Get()
  @ApiOperation({
    summary: 'Search and list tasks (Flower\'s task list)',
    description: 'A Temporal visibility query over Celerity\'s search attributes; newest first. Visibility lags by about a second.',
  })
  @ApiOkResponse(answer(taskPageSchema))
  @ApiBadRequestResponse(answer(errorSchema, 'A filter or the page token is invalid; the message names it.'))
  list(@SchemaQuery(listTasksQuerySchema) query: ListTasksQuery): Promise<TaskPageDto> {
    return this.tasks.list(query);
  }

  // Declared before :id, which would otherwise take "stats" for a task id.
  @Get('stats')
  @ApiOperation({ summary: 'Count tasks per state and per task name over a time range' })
  @ApiOkResponse(answer(taskStatsSchema))
  @ApiBadRequestResponse(answer(errorSchema))
  stats(@SchemaQuery(taskFilterQuerySchema) query: TaskFilterQuery): Promise<TaskStatsDto> {
    return this.tasks.stats(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A task\'s state, result and metadata (Celery AsyncResult)' })
  @ApiOkResponse(answer(taskSchema))
  @ApiNotFoundResponse(answer(errorSchema))
  @ApiServiceUnavailableResponse(answer(errorSchema, 'A canvas\'s members cannot be read now (no worker answers its query).'))
  @ApiPayloadTooLargeResponse(answer(errorSchema, 'A canvas\'s tree is over Temporal\'s payload limit even with its largest values left out: GET its members one by one.'))
  get(@Param('id') id: string): Promise<TaskDto> {
    return this.tasks.get(id);
  }

  @Get(':id/result')
  @ApiOperation({ summary: 'Wait for a task to be ready (Celery AsyncResult.get)', description: 'Answers when the task is ready or the timeout passes; `state` tells which.' })
  @ApiOkResponse(answer(taskSchema))
  @ApiBadRequestResponse(answer(errorSchema))
  @ApiNotFoundResponse(answer(errorSchema))
  @ApiServiceUnavailableResponse(answer(errorSchema, 'A canvas\'s members cannot be read now (no worker answers its query).'))
  @ApiPayloadTooLargeResponse(answer(errorSchema, 'A canvas\'s tree is over Temporal\'s payload limit even with its largest values left out: GET its members one by one.'))
  result(@Param('id') id: string, @SchemaQuery(resultQuerySchema) query: z.output<typeof resultQuerySchema>): Promise<TaskDto> {
    return this.tasks.waitResult(id, query.timeout ?? 0);
  }

  @Get(':id/events')
  @ApiOperation({
    summary: 'Follow a task\'s state changes (server-sent events)',
    description: 'One `state` event per change (state, meta, retries), carrying the task as GET /tasks/{id} shows it; the stream ends when the task is ready.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'A text/event-stream of `state` events whose data is a task.' })
  @ApiNotFoundResponse(answer(errorSchema))
  async events(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const closed = new AbortController();
    req.on('close', () => closed.abort());
    const changes = this.tasks.changes(id, closed.signal);
    // The first read happens before any header is sent, so an unknown id is still a 404.
    let next = await changes.next();
    res.writeHead(HttpStatus.OK, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    // A comment line now and then keeps proxies from closing the stream of a quiet task.
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    try {
      for (; !next.done; next = await changes.next()) res.write(`event: state\ndata: ${JSON.stringify(next.value)}\n\n`);
    } catch (err) {
      res.write(`event: error\ndata: ${JSON.stringify({ message: (err as Error).message })}\n\n`);
    } finally {
      clearInterval(keepAlive);
    }
    res.end();
  }

  @Post(':id/revoke')
  @RequireScope('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Revoke a task (Celery revoke)',
    description: 'Without terminate the task is cancelled and may clean up; with it, it stops at once. A task that is ready is left as it is.',
  })
  @ApiOkResponse(answer(taskSchema))
  @ApiBadRequestResponse(answer(errorSchema))
  @ApiNotFoundResponse(answer(errorSchema))
  @ApiConflictResponse(answer(errorSchema, 'an unfinished member of a canvas: revoke the canvas instead'))
  revoke(@Param('id') id: string, @SchemaBody(revokeTaskSchema) body: z.output<typeof revokeTaskSchema>): Promise<TaskDto> {
    return this.tasks.revoke(id, body.terminate ?? false, body.reason);
  }
}
