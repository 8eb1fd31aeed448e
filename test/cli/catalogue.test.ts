// forensight checks (filters, header row) and forensight frameworks (controls with the checks behind each).
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { frameworkCatalogue } from '../../checks/frameworks.js';
import { selectCatalogue } from '../../src/cli/checks.js';
import { runCli } from '../support/cli.js';

describe('checks filters', () => {
  it.each([
    ['no filter', {}, allChecks.map((c) => c.meta.id)],
    ['one severity', { severity: 'critical' }, allChecks.filter((c) => c.meta.severity === 'critical').map((c) => c.meta.id)],
    [
      'severities, any case',
      { severity: 'HIGH,critical' },
      allChecks.filter((c) => ['high', 'critical'].includes(c.meta.severity)).map((c) => c.meta.id),
    ],
    ['one service', { service: 'sagemaker' }, allChecks.filter((c) => c.meta.service === 'sagemaker').map((c) => c.meta.id)],
    [
      'service and severity together',
      { service: 'cloudtrail', severity: 'critical' },
      allChecks.filter((c) => c.meta.service === 'cloudtrail' && c.meta.severity === 'critical').map((c) => c.meta.id),
    ],
  ])('%s', (_name, opts, expected) => {
    expect(expected.length).toBeGreaterThan(0);
    expect(selectCatalogue(opts).map((m) => m.id)).toEqual(expected);
  });

  it.each([
    ['an unknown service', ['checks', '--service', 'lambda'], /^forensight: --service: "lambda" is not a service of any check; use .*sagemaker/],
    ['an unknown severity', ['checks', '--severity', 'urgent'], /^forensight: --severity: "urgent" is not a severity/],
  ])('%s is exit 2 naming the value', async (_name, args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('the table has a header row and one row per selected check', async () => {
    const run = await runCli(['checks', '--service', 'sagemaker']);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+severity\s+service\s+scope\s+title$/);
    const expected = allChecks.filter((c) => c.meta.service === 'sagemaker').map((c) => c.meta.id);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(expected);
  });

  it('--json with a filter lists only the selected checks', async () => {
    const run = await runCli(['checks', '--json', '--severity', 'low']);
    const list = JSON.parse(run.stdout) as { severity: string }[];
    expect(list.length).toBe(allChecks.filter((c) => c.meta.severity === 'low').length);
    expect(list.every((c) => c.severity === 'low')).toBe(true);
  });
});

describe('frameworks', () => {
  it('--json lists every framework and control, each with exactly the checks that cite it', async () => {
    const run = await runCli(['frameworks', '--json']);
    expect(run.code).toBe(0);
    const list = JSON.parse(run.stdout) as { id: string; controls: { id: string; checks: string[] }[] }[];
    expect(list.map((f) => f.id)).toEqual(frameworkCatalogue.map((f) => f.id));
    for (const f of list) {
      for (const c of f.controls) {
        const citing = allChecks.filter((k) => k.meta.frameworks.some((x) => x.framework === f.id && x.control === c.id)).map((k) => k.meta.id);
        expect(c.checks, `${f.id} ${c.id}`).toEqual(citing);
      }
    }
    const listed = new Set(list.flatMap((f) => f.controls.flatMap((c) => c.checks.map((k) => `${f.id}|${c.id}|${k}`))));
    for (const k of allChecks)
      for (const x of k.meta.frameworks)
        expect(listed.has(`${x.framework}|${x.control}|${k.meta.id}`), `${k.meta.id} ${x.framework} ${x.control}`).toBe(true);
  });

  it('the text form names each framework with its version and each control with its title', async () => {
    const run = await runCli(['frameworks']);
    for (const f of frameworkCatalogue) {
      expect(run.stdout).toContain(`${f.name} (${f.id}, ${f.version})`);
      for (const c of f.controls)
        expect(run.stdout).toMatch(new RegExp(`^  ${c.id.replace(/[.()]/g, '\\$&')}\\s+${c.title.replace(/[.()]/g, '\\$&')}`, 'm'));
    }
  });
});
