import { defineConfig } from 'vitest/config';
import { needsIsolation, SlowFirstSequencer, testFiles } from './test/support/suites.js';

const isolated = testFiles('test').filter(needsIsolation);

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each worker has a moto_server of its own (test/support/global-setup.ts), so files can run in parallel.
    fileParallelism: true,
    maxWorkers: 2,
    // Files share their worker's loaded modules (the AWS SDK alone takes most of a second to load per file), except
    // the few that patch shared prototypes: those run after the rest, each in a fresh thread.
    poolOptions: { forks: { isolate: false }, threads: { isolate: true } },
    sequence: { sequencer: SlowFirstSequencer },
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: isolated, pool: 'forks', globalSetup: ['test/support/global-setup.ts'] },
      },
      { extends: true, test: { name: 'isolated', include: isolated, pool: 'threads', sequence: { groupOrder: 1 } } },
    ],
  },
});
