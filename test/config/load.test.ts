import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, validateConfig } from '../../src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'forensight-config-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('config file', () => {
  it('gives the defaults when no file is given', async () => {
    const config = await loadConfigFile(undefined);
    expect(config.parameters).toMatchObject({
      minRetentionDays: 365,
      minSamplingPercent: 100,
      objectLockMode: 'COMPLIANCE',
      bucketRoleTagKey: 'forensight:role',
    });
  });

  it('reads YAML and overrides only the keys it sets', async () => {
    const config = await loadConfigFile(
      file('ok.yaml', 'parameters:\n  minRetentionDays: 400\n  objectLockMode: GOVERNANCE\nchecks: [cloudtrail-multi-region-trail]\n'),
    );
    expect(config.parameters.minRetentionDays).toBe(400);
    expect(config.parameters.objectLockMode).toBe('GOVERNANCE');
    expect(config.parameters.minSamplingPercent).toBe(100);
    expect(config.checks).toEqual(['cloudtrail-multi-region-trail']);
  });

  it('reads JSON', async () => {
    const config = await loadConfigFile(file('ok.json', JSON.stringify({ parameters: { minSamplingPercent: 50 } })));
    expect(config.parameters.minSamplingPercent).toBe(50);
  });

  it.each([
    [
      'a misspelt key, with a suggestion',
      { parameters: { minRetentionDay: 30 } },
      /unknown setting "parameters\.minRetentionDay" \(did you mean "minRetentionDays"\?\)/,
    ],
    ['an unknown top-level key', { paramters: {} }, /unknown setting "paramters" \(did you mean "parameters"\?\)/],
    ['a wrong type', { parameters: { minRetentionDays: 'a year' } }, /parameters\.minRetentionDays must be integer/],
    ['an out-of-range value', { parameters: { minSamplingPercent: 150 } }, /parameters\.minSamplingPercent must be <= 100/],
    ['a bad enum', { parameters: { objectLockMode: 'STRICT' } }, /parameters\.objectLockMode must be one of COMPLIANCE, GOVERNANCE/],
  ])('rejects %s, naming the key', (_name, data, message) => {
    expect(() => validateConfig(data, 'cfg.yaml')).toThrow(ConfigError);
    expect(() => validateConfig(data, 'cfg.yaml')).toThrow(message);
  });

  it('names the file when it cannot be read or parsed', async () => {
    await expect(loadConfigFile(join(dir, 'missing.yaml'))).rejects.toThrow(/--config: cannot read ".*missing\.yaml" \(ENOENT\)/);
    await expect(loadConfigFile(file('bad.json', '{ nope'))).rejects.toThrow(/bad\.json: not valid JSON/);
  });
});
