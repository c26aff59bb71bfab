import { Module } from '@nestjs/common';
import { SchedulesController } from './schedules.controller.js';
import { SchedulesService } from './schedules.service.js';

/** /schedules: Celery beat over REST; the `Schedules` it speaks to is given by the app module. */
@Module({ controllers: [SchedulesController], providers: [SchedulesService] })
export class SchedulesModule {}
