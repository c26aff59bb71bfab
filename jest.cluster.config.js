/**
 * The scale-out test (test/cluster): a real Temporal cluster on PostgreSQL (scripts/cluster.sh)
 * and Celerity as separate processes built from dist/ (run `npm run build` first; .ci/run runs it
 * after the other suites). It needs no dev server, so the base config's global setup is left out.
 */
import base from './jest.config.js';

const { globalSetup, globalTeardown, ...rest } = base;

export default {
  ...rest,
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 1_800_000,
};
