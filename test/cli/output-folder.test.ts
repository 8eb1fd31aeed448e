// The default output folder is named after the scan it holds: forensight-out/<scanId> for scan,
// demo-out/<scanId> for the demo, the same id as in the scan.json inside.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { useEmulator } from '../support/emulator.js';

const start = process.cwd();

function onlyScanIn(parent: string): { folder: string; scanId: string } {
  const folders = readdirSync(parent);
  expect(folders).toHaveLength(1);
  const scan = JSON.parse(readFileSync(join(parent, folders[0]!, 'scan.json'), 'utf8')) as { scanId: string };
  return { folder: folders[0]!, scanId: scan.scanId };
}

describe('default output folders', () => {
  const env = useEmulator();
  afterEach(() => process.chdir(start));

  it('scan writes forensight-out/<scanId>', async () => {
    process.chdir(mkdtempSync(join(tmpdir(), 'forensight-scan-folder-')));
    env.proxy.addRule({ match: { action: 'DescribeRegions' }, error: { status: 403, code: 'UnauthorizedOperation' } });
    const run = await runCli(['scan', '--endpoint-url', env.url, '--region', 'us-east-1', '--checks', 'guardduty-enabled']);
    env.proxy.clearRules();
    expect(run.stderr).not.toMatch(/internal error/);
    const { folder, scanId } = onlyScanIn('forensight-out');
    expect(folder).toBe(scanId);
  }, 120_000);

  it('the demo writes demo-out/<scanId>', async () => {
    process.chdir(mkdtempSync(join(tmpdir(), 'forensight-demo-folder-')));
    const run = await runCli(['demo', '--format', 'json']);
    expect(run.code, run.stderr).toBe(0);
    const { folder, scanId } = onlyScanIn('demo-out');
    expect(folder).toBe(scanId);
    expect(run.stderr).toContain(join(process.cwd(), 'demo-out', scanId));
  }, 180_000);
});
