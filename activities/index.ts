/**
 * The app this repository runs (`celerity.app` in package.json names its build): its tasks,
 * its beat schedule and its own workflows, loaded through the app contract like any user's app.
 */
import { defineApp } from '../src/app.js';
import { TaskRegistry } from '../src/tasks/index.js';
import { exampleTasks } from './examples.js';
import { imageTasks } from './images.js';
import { beatSchedule } from './schedules.js';

export const registry = new TaskRegistry([...exampleTasks, ...imageTasks]);

export default defineApp({ registry, beatSchedule, workflowsPath: new URL('./workflows.js', import.meta.url) });
