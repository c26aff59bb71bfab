import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { Schedules } from '../beat/schedules.js';
import type { CelerityClient } from '../client/client.js';
import type { TaskRegistry } from '../tasks/index.js';
import { HealthModule } from './health/health.module.js';
import { SchedulesModule } from './schedules/schedules.module.js';
import { TaskTypesModule } from './task-types/task-types.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { CELERITY_CLIENT, TASK_REGISTRY, TEMPORAL_CLIENT, UI_LINKS } from './tokens.js';

export interface ApiDependencies {
  client: CelerityClient;
  registry: TaskRegistry;
  temporal: Client;
  /** Beat: this app's schedules. */
  schedules: Schedules;
  /** A link to a task's history in the Temporal Web UI. */
  uiLink: (id: string, runId: string | null) => string;
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
    ];
    return {
      module: AppModule,
      imports: [TasksModule, TaskTypesModule, HealthModule, SchedulesModule],
      providers,
      exports: providers.map((p) => p.provide),
    };
  }
}
