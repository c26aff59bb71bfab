import { Module } from '@nestjs/common';
import { QueuesModule } from '../queues/queues.module.js';
import { WorkersController } from './workers.controller.js';

@Module({ imports: [QueuesModule], controllers: [WorkersController] })
export class WorkersModule {}
