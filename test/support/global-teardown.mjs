export default async function globalTeardown() {
  await globalThis.celerityTestServer?.stop();
}
