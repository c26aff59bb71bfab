/**
 * The fault tests: each starts its own file-backed Temporal dev server and kills real processes
 * (built from dist/: run `npm run build` first; .ci/run runs them after the main suite).
 * The global setup bundles the workflows once for their workers.
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/test/fault/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300_000,
};
