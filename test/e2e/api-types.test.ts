/**
 * The CLI's API types (src/cli/api-types.ts) are generated from the API's /openapi.json
 * (scripts/openapi-types.mjs), never written by hand: this fails while they are out of date.
 */
import { readFileSync } from 'node:fs';
import { API_TYPES_PATH, renderApiTypes } from '../../scripts/openapi-types.mjs';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(() => stack?.stop());

test("src/cli/api-types.ts is what scripts/openapi-types.mjs makes of this API's /openapi.json", async () => {
  const document = (await stack.get('/openapi.json')).body;
  const expected = await renderApiTypes(document);
  const committed = readFileSync(API_TYPES_PATH, 'utf8');
  if (committed !== expected) throw new Error('src/cli/api-types.ts is out of date: run `node scripts/openapi-types.mjs` against a running API (npm start)');
  expect(committed).toContain('TaskDto: {');
});
