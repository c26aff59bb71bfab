import { ApiProperty } from '@nestjs/swagger';

export class WorkerQueueDto {
  @ApiProperty({ example: 'celery' }) name!: string;
  @ApiProperty({ enum: ['task', 'workflow'] }) kind!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_seen!: string | null;
}

/** A worker as Temporal sees it: an identity polling one or more queues. */
export class WorkerDto {
  @ApiProperty({ example: '4242@worker-1' }) identity!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Its latest poll on any queue.' }) last_seen!: string | null;
  @ApiProperty({ type: [WorkerQueueDto] }) queues!: WorkerQueueDto[];
}
