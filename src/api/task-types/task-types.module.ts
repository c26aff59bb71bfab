import { Module } from '@nestjs/common';
import { TaskTypesController } from './task-types.controller.js';

@Module({ controllers: [TaskTypesController] })
export class TaskTypesModule {}
