// `npm run test:unit`: the suites that need no emulator, no built CLI and no browser, found by what they import,
// so a new suite lands on the right side without editing a list.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const NEEDS_EMULATOR = /support\/(emulator|cli)\.js|demo\/(seed|proxy|moto|sample-org)\.js|moto_server|node:child_process|playwright/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith('.test.ts') ? [path] : [];
  });
}

export default defineConfig({
  test: {
    include: testFiles('test').filter((f) => !NEEDS_EMULATOR.test(readFileSync(f, 'utf8'))),
    testTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
