import { applyDecorators, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse,
  ApiOkResponse, ApiOperation, ApiResponse, ApiTags,
} from '@nestjs/swagger';
import { errorSchema } from '../errors.js';
import { scheduleListSchema, scheduleSchema, type ScheduleDto, type ScheduleListDto } from './dto/schedule.dto.js';
import {
  backfillScheduleSchema, createScheduleSchema, noteSchema, triggerScheduleSchema, updateScheduleSchema,
  type CreateSchedule, type UpdateSchedule,
} from './schedule.schema.js';
import { answer, SchemaBody } from '../zod.js';
import type { z } from 'zod';
import { SchedulesService } from './schedules.service.js';
import { RequireScope } from '../security/scope.decorator.js';

/** A route on one schedule: it answers with the schedule, or an error naming what is wrong. */
const OnSchedule = (status: HttpStatus = HttpStatus.OK) => applyDecorators(
  HttpCode(status),
  ApiResponse({ status, ...answer(scheduleSchema) }),
  ApiBadRequestResponse(answer(errorSchema, 'The body is invalid; the message names the field.')),
  ApiNotFoundResponse(answer(errorSchema, 'No schedule with this id.')),
);

@ApiTags('schedules')
@RequireScope('admin')
@Controller('schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a periodic task (a Celery beat entry)', description: 'A durable Temporal Schedule; each run is an ordinary task whose id is `<id>-<scheduled time>`.' })
  @ApiCreatedResponse(answer(scheduleSchema))
  @ApiBadRequestResponse(answer(errorSchema, 'The body is invalid (bad cron, unknown day name, zero interval, unknown time zone or task); the message names the field.'))
  @ApiConflictResponse(answer(errorSchema, 'A schedule with this id exists.'))
  create(@SchemaBody(createScheduleSchema) body: CreateSchedule): Promise<ScheduleDto> {
    return this.schedules.create(body);
  }

  @Get()
  @RequireScope('read')
  @ApiOperation({ summary: 'This app\'s schedules' })
  @ApiOkResponse(answer(scheduleListSchema))
  list(): Promise<ScheduleListDto> {
    return this.schedules.list();
  }

  @Get(':id')
  @RequireScope('read')
  @ApiOperation({ summary: 'A schedule: its entry, its spec, the next 5 run times and its recent runs with their tasks\' states' })
  @ApiOkResponse(answer(scheduleSchema))
  @ApiNotFoundResponse(answer(errorSchema))
  get(@Param('id') id: string): Promise<ScheduleDto> {
    return this.schedules.get(id);
  }

  @Patch(':id')
  @OnSchedule()
  @ApiOperation({ summary: 'Change a schedule', description: 'The given fields replace the schedule\'s; null removes an optional one. Paused state and remaining runs are kept (unless limit changes).' })
  update(@Param('id') id: string, @SchemaBody(updateScheduleSchema) body: UpdateSchedule): Promise<ScheduleDto> {
    return this.schedules.update(id, body);
  }

  @Post(':id/pause')
  @OnSchedule()
  @ApiOperation({ summary: 'Pause a schedule, with a note saying why' })
  pause(@Param('id') id: string, @SchemaBody(noteSchema) body: z.output<typeof noteSchema>): Promise<ScheduleDto> {
    return this.schedules.pause(id, body.note);
  }

  @Post(':id/unpause')
  @OnSchedule()
  @ApiOperation({ summary: 'Resume a paused schedule' })
  unpause(@Param('id') id: string, @SchemaBody(noteSchema) body: z.output<typeof noteSchema>): Promise<ScheduleDto> {
    return this.schedules.unpause(id, body.note);
  }

  @Post(':id/trigger')
  @OnSchedule(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Run it now', description: 'Also while paused; by default alongside a run still going (overlap allow_all).' })
  trigger(@Param('id') id: string, @SchemaBody(triggerScheduleSchema) body: z.output<typeof triggerScheduleSchema>): Promise<ScheduleDto> {
    return this.schedules.trigger(id, body.overlap);
  }

  @Post(':id/backfill')
  @OnSchedule(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Take now the runs due in a past time range', description: 'By default one after another (overlap buffer_all), so none is dropped. Also while paused.' })
  backfill(@Param('id') id: string, @SchemaBody(backfillScheduleSchema) body: z.output<typeof backfillScheduleSchema>): Promise<ScheduleDto> {
    return this.schedules.backfill(id, body.start, body.end, body.overlap);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a schedule', description: 'Runs already started go on. A schedule declared in code comes back at the next startup unless removed from the code.' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse(answer(errorSchema))
  delete(@Param('id') id: string): Promise<void> {
    return this.schedules.delete(id);
  }
}
