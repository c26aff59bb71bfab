import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorDto } from '../errors.js';
import { SubmitTaskDto } from './dto/submit-task.dto.js';
import { ResultQueryDto, RevokeTaskDto, TaskDto } from './dto/task.dto.js';
import { TasksService } from './tasks.service.js';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Post()
  @ApiOperation({ summary: 'Send a task (Celery apply_async)', description: 'Starts one durable Temporal workflow whose id is the task id.' })
  @ApiAcceptedResponse({ type: TaskDto, description: 'The task was accepted.' })
  @ApiOkResponse({ type: TaskDto, description: 'A task with this task_id exists; it is returned and not run again.' })
  @ApiBadRequestResponse({ type: ErrorDto, description: 'The body is invalid; the message names the field.' })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'No task with this name is registered.' })
  @ApiPayloadTooLargeResponse({ type: ErrorDto })
  async submit(@Body() body: SubmitTaskDto, @Res({ passthrough: true }) res: Response): Promise<TaskDto> {
    const { created, task } = await this.tasks.submit(body);
    res.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return task;
  }

  @Get(':id')
  @ApiOperation({ summary: 'A task\'s state, result and metadata (Celery AsyncResult)' })
  @ApiOkResponse({ type: TaskDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  get(@Param('id') id: string): Promise<TaskDto> {
    return this.tasks.get(id);
  }

  @Get(':id/result')
  @ApiOperation({ summary: 'Wait for a task to be ready (Celery AsyncResult.get)', description: 'Answers when the task is ready or the timeout passes; `state` tells which.' })
  @ApiOkResponse({ type: TaskDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  result(@Param('id') id: string, @Query() query: ResultQueryDto): Promise<TaskDto> {
    return this.tasks.waitResult(id, query.timeout ?? 0);
  }

  @Post(':id/revoke')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Revoke a task (Celery revoke)', description: 'Without terminate the task is cancelled and may clean up; with it, it stops at once.' })
  @ApiOkResponse({ type: TaskDto })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  revoke(@Param('id') id: string, @Body() body: RevokeTaskDto): Promise<TaskDto> {
    return this.tasks.revoke(id, body.terminate ?? false, body.reason);
  }
}
