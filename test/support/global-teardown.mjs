import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  await globalThis.celerityTestServer?.stop();
  if (globalThis.celerityTestDir) rmSync(globalThis.celerityTestDir, { recursive: true, force: true });
}
