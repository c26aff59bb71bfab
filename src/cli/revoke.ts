/** `celerity revoke ID [--terminate]` (Celery's revoke). */
import { EXIT, type ApiClient, type ApiTask } from './api-client.js';
import { describeState, printJson } from './output.js';

export async function revoke(api: ApiClient, id: string, options: { terminate?: boolean; reason?: string; json?: boolean }): Promise<number> {
  const task = await api.post<ApiTask>(`/tasks/${encodeURIComponent(id)}/revoke`, {
    terminate: options.terminate ?? false,
    ...(options.reason ? { reason: options.reason } : {}),
  });
  if (options.json) printJson(task);
  else process.stdout.write(`${id}: ${describeState(task)}\n`);
  return EXIT.OK;
}
