// `npm run test:unit`: the suites that need no emulator, no built CLI and no browser, found by what they import,
// so a new suite lands on the right side without editing a list.
import { defineConfig } from 'vitest/config';
import { needsEmulator, testFiles } from './test/support/suites.js';

export default defineConfig({
  test: {
    include: testFiles('test').filter((f) => !needsEmulator(f)),
    testTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
