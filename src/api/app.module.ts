import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { Schedules } from '../beat/schedules.js';
import type { CelerityClient } from '../client/client.js';
import { TaskSearch } from '../client/search.js';
import type { CorsOrigins } from '../config.js';
import type { EncryptionKeys } from '../temporal/encryption.js';
import type { TaskRegistry } from '../tasks/index.js';
import { CodecModule } from './codec/codec.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { QueuesModule } from './queues/queues.module.js';
import { SchedulesModule } from './schedules/schedules.module.js';
import { SecurityModule, type SecurityOptions } from './security/security.module.js';
import { TaskTypesModule } from './task-types/task-types.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { CELERITY_CLIENT, TASK_REGISTRY, TEMPORAL_CLIENT, UI_LINKS, WORKFLOW_QUEUE } from './tokens.js';
import { WorkersModule } from './workers/workers.module.js';

export interface ApiDependencies {
  client: CelerityClient;
  registry: TaskRegistry;
  temporal: Client;
  /** The task queue of Celerity's workflows: what GET /tasks searches and GET /queues describes. */
  workflowQueue: string;
  /** Beat: this app's schedules. */
  schedules: Schedules;
  /** A link to a task's history in the Temporal Web UI. */
  uiLink: (id: string, runId: string | null) => string;
  /** Origins that may call /codec from a browser (the Temporal Web UI's); any by default. */
  codecCorsOrigins?: CorsOrigins;
  /** The payload encryption keys, for /codec; none by default. */
  encryption?: EncryptionKeys;
  /** API keys and rate limit; none by default. */
  security?: SecurityOptions;
}

@Global()
@Module({})
export class AppModule {
  static forRoot(deps: ApiDependencies): DynamicModule {
    const providers = [
      { provide: CELERITY_CLIENT, useValue: deps.client },
      { provide: TASK_REGISTRY, useValue: deps.registry },
      { provide: TEMPORAL_CLIENT, useValue: deps.temporal },
      { provide: Schedules, useValue: deps.schedules },
      { provide: UI_LINKS, useValue: deps.uiLink },
      { provide: WORKFLOW_QUEUE, useValue: deps.workflowQueue },
      { provide: TaskSearch, useValue: new TaskSearch(deps.temporal, deps.client, deps.workflowQueue) },
    ];
    return {
      module: AppModule,
      imports: [SecurityModule.forRoot(deps.security ?? { apiKeys: [] }), TasksModule, TaskTypesModule, HealthModule, SchedulesModule, WorkersModule, QueuesModule, MetricsModule, CodecModule.forRoot(deps.codecCorsOrigins, deps.encryption)],
      providers,
      exports: providers.map((p) => p.provide),
    };
  }
}
