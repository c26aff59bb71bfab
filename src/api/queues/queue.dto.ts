import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsOptional } from 'class-validator';
import { CommaSeparated, QueueName } from '../query.js';

export class PollerDto {
  @ApiProperty({ description: 'The worker\'s identity (pid@host unless set).', example: '4242@worker-1' }) identity!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When it last polled this queue.' }) last_seen!: string | null;
  @ApiProperty({ description: 'Tasks per second it asked the server to limit the queue to (0: no limit).' }) rate_per_second!: number;
}

export class QueueDto {
  @ApiProperty({ example: 'celery' }) name!: string;
  @ApiProperty({ enum: ['task', 'workflow'], description: 'task: tasks (activities) run here; workflow: Celerity\'s own workflows.' }) kind!: string;
  @ApiProperty({ description: 'Approximate number of tasks waiting for a worker.' }) backlog!: number;
  @ApiProperty({ description: 'Seconds the oldest waiting task has waited.' }) backlog_age_s!: number;
  @ApiProperty({ description: 'Tasks added per second, averaged over the last 30 s.' }) add_rate!: number;
  @ApiProperty({ description: 'Tasks handed to workers per second, averaged over the last 30 s.' }) dispatch_rate!: number;
  @ApiProperty({ type: [PollerDto], description: 'Workers that polled this queue recently.' }) pollers!: PollerDto[];
}

/** `?queue=a,b`: which queues to describe (default: Celerity's workflow queue and every registered task's queue). */
export class QueueQueryDto {
  @ApiPropertyOptional({ description: 'Queue names, comma-separated or repeated.', example: 'celery' })
  @IsOptional()
  @CommaSeparated()
  @ArrayMaxSize(50)
  @QueueName({ each: true })
  queue?: string[];
}
