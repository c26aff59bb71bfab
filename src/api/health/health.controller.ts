import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import { z } from 'zod';
import { TEMPORAL_RETRY_AFTER_S } from '../errors.js';
import { TEMPORAL_CLIENT } from '../tokens.js';
import { Public } from '../security/scope.decorator.js';
import { answer, component } from '../zod.js';

const livenessSchema = component('LivenessDto', z.object({ status: z.enum(['ok']) }));
const healthSchema = component('HealthDto', z.object({
  status: z.enum(['ok', 'unavailable']),
  temporal: z.enum(['up', 'down']).describe('Whether Temporal answers.'),
}));
type HealthDto = z.output<typeof healthSchema>;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly temporal: Client) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the API process answers (asks nothing of Temporal, so a Temporal outage does not restart it)' })
  @ApiOkResponse(answer(livenessSchema))
  live(): z.output<typeof livenessSchema> {
    return { status: 'ok' };
  }

  @Get()
  @ApiOperation({ summary: 'Readiness: the API is up and Temporal answers' })
  @ApiOkResponse(answer(healthSchema))
  @ApiServiceUnavailableResponse(answer(healthSchema))
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
