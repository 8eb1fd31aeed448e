// Which test files need the emulator, a built CLI or a browser, read from what they import: `npm run test:unit`
// leaves them out, and the full run starts them first.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const NEEDS_EMULATOR = /support\/(emulator|cli)\.js|demo\/(seed|proxy|moto|sample-org)\.js|moto_server|node:child_process|playwright/;

export function needsEmulator(file: string): boolean {
  return NEEDS_EMULATOR.test(readFileSync(file, 'utf8'));
}

/** Mocks that patch shared prototypes (aws-sdk-client-mock's mockClient, vi.spyOn) and are reset, never restored. */
const PATCHES_SHARED_STATE = /aws-sdk-client-mock|vi\.(spyOn|mock|doMock|stubGlobal|stubEnv|useFakeTimers)\b/;

/** Files that must not share a module cache with the next file in their worker. */
export function needsIsolation(file: string): boolean {
  return PATCHES_SHARED_STATE.test(readFileSync(file, 'utf8'));
}

export function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/**
 * The emulator, CLI and browser files first (in vitest's own order within each group): they take seconds each and
 * the rest milliseconds, so started last they left one worker running them alone while the other sat idle.
 */
export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = sorted.filter((f) => needsEmulator(f.moduleId));
    return [...slow, ...sorted.filter((f) => !slow.includes(f))];
  }
}
