/** The tasks this app's workers run and its API accepts. */
import { TaskRegistry } from '../src/tasks/index.js';
import { exampleTasks } from './examples.js';
import { imageTasks } from './images.js';

export const registry = new TaskRegistry([...exampleTasks, ...imageTasks]);
