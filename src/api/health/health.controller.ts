import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import { TEMPORAL_RETRY_AFTER_S } from '../errors.js';
import { TEMPORAL_CLIENT } from '../tokens.js';
import { Public } from '../security/scope.decorator.js';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status!: string;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: string;
  @ApiProperty({ enum: ['up', 'down'], description: 'Whether Temporal answers.' }) temporal!: string;
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly temporal: Client) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the API process answers (asks nothing of Temporal, so a Temporal outage does not restart it)' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get()
  @ApiOperation({ summary: 'Readiness: the API is up and Temporal answers' })
  @ApiOkResponse({ type: HealthDto })
  @ApiServiceUnavailableResponse({ type: HealthDto })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthDto> {
    try {
      await this.temporal.connection.withDeadline(Date.now() + 2000, () => this.temporal.workflowService.getSystemInfo({}));
      return { status: 'ok', temporal: 'up' };
    } catch {
      res.status(HttpStatus.SERVICE_UNAVAILABLE).setHeader('Retry-After', String(TEMPORAL_RETRY_AFTER_S));
      return { status: 'unavailable', temporal: 'down' };
    }
  }
}
