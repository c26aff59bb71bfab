/**
 * The app Celerity runs: `celerity dev -A ./dist/app.js` (or `worker`, `api`) loads this
 * module's default export, as Celery's `celery -A proj worker` loads `proj.app`.
 */
import { crontab, defineApp, TaskRegistry } from 'celerity';
import { detectAnomalies, summarizeAnomalies } from './tasks.js';

export default defineApp({
  registry: new TaskRegistry([detectAnomalies, summarizeAnomalies]),
  // Celery's beat_schedule: kept by Temporal Schedules, synced when `celerity dev` or `api` starts.
  beatSchedule: {
    'hourly-scan-of-the-test-rig': {
      canvas: {
        chord: {
          header: [{ task: 'detect_anomalies', args: ['test-rig', [20.1, 20.3, 19.9, 20.0, 35.2, 20.2], 2] }],
          body: { task: 'summarize_anomalies' },
        },
      },
      schedule: crontab({ minute: 0 }),
    },
  },
  workflowsPath: new URL('./workflows.js', import.meta.url),
});
