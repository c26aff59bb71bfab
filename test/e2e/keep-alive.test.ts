/**
 * A client that keeps connections alive (a load balancer, an SDK's pool) reuses one idle for
 * longer than Node's default 5 s without error: the API keeps idle connections open 65 s and
 * says so, so that the client closes first and never races the server's close.
 */
import { Agent, get, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(() => stack?.stop());

function request(agent: Agent, path: string): Promise<{ response: IncomingMessage; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const req = get(`${stack.api.url}${path}`, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve({ response, reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
  });
}

test('a connection idle for longer than 5 s is reused without error', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const first = await request(agent, '/health/live');
    expect(first.response.statusCode).toBe(200);
    expect(first.response.headers['keep-alive']).toBe('timeout=65');
    await sleep(6_000);
    const second = await request(agent, '/health/live');
    expect(second.response.statusCode).toBe(200);
    expect(second.reusedSocket).toBe(true);
  } finally {
    agent.destroy();
  }
});
