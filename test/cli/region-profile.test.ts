// --region (the home region for the first calls) and --profile: a profile that does not exist is exit 2
// before any work, naming the profile and where profiles are read from.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { homeRegionFor, UsageError } from '../../src/cli/common.js';
import { profileFiles, resolveProfile } from '../../src/cli/profile.js';
import { runCli } from '../support/cli.js';
import { useEmulator } from '../support/emulator.js';

const tmp = mkdtempSync(join(tmpdir(), 'forensight-profile-'));
const configFile = join(tmp, 'config');
const credentialsFile = join(tmp, 'credentials');
writeFileSync(
  configFile,
  '[default]\nregion = ap-southeast-2\n\n[profile analyst]\nregion = eu-central-1\n\n[profile noregion]\noutput = json\n\n[sso-session corp]\nsso_region = us-east-1\n',
);
writeFileSync(
  credentialsFile,
  '[keys-only]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion = sa-east-1\n\n[analyst]\naws_access_key_id = testing\naws_secret_access_key = testing\n',
);
const files = { AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile };

describe('home region', () => {
  it.each([
    ['--region wins over everything', { flag: 'eu-west-3', profileRegion: 'eu-central-1', env: { AWS_REGION: 'us-west-2' } }, 'eu-west-3'],
    [
      "the profile's region comes next",
      { profileRegion: 'eu-central-1', env: { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'us-west-1' } },
      'eu-central-1',
    ],
    ['then AWS_REGION', { env: { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'us-west-1' } }, 'us-west-2'],
    ['then AWS_DEFAULT_REGION', { env: { AWS_DEFAULT_REGION: 'us-west-1' } }, 'us-west-1'],
    ['then the first of an explicit --regions list', { env: {}, regions: ['eu-north-1', 'eu-west-1'] }, 'eu-north-1'],
    ['else us-east-1', { env: {}, regions: 'all' as const }, 'us-east-1'],
    ['an empty AWS_REGION is not set', { env: { AWS_REGION: '', AWS_DEFAULT_REGION: 'ca-central-1' } }, 'ca-central-1'],
    ['a GovCloud region', { flag: 'us-gov-west-1', env: {} }, 'us-gov-west-1'],
  ])('%s', (_name, input, expected) => {
    expect(homeRegionFor(input)).toBe(expected);
  });

  it.each([
    ['a bad --region', { flag: 'moon-1', env: {} }, /--region: "moon-1" is not an AWS region name/],
    ['a bad AWS_REGION', { env: { AWS_REGION: 'Frankfurt' } }, /AWS_REGION: "Frankfurt" is not an AWS region name/],
    ['a bad profile region', { profileRegion: 'eu central', env: {} }, /region of the AWS profile: "eu central"/],
  ])('%s is a usage error naming the value', (_name, input, message) => {
    expect(() => homeRegionFor(input)).toThrow(UsageError);
    expect(() => homeRegionFor(input)).toThrow(message);
  });
});

describe('resolveProfile', () => {
  it.each([
    ['a config-file profile with a region', 'analyst', {}, { name: 'analyst', region: 'eu-central-1' }],
    ['a config-file profile without one', 'noregion', {}, { name: 'noregion' }],
    ['a credentials-file profile', 'keys-only', {}, { name: 'keys-only', region: 'sa-east-1' }],
    ['no profile named: the default one', undefined, {}, { name: 'default', region: 'ap-southeast-2' }],
    ['AWS_PROFILE names it', undefined, { AWS_PROFILE: 'analyst' }, { name: 'analyst', region: 'eu-central-1' }],
    ['--profile wins over AWS_PROFILE', 'noregion', { AWS_PROFILE: 'analyst' }, { name: 'noregion' }],
    [
      'a missing AWS_PROFILE is fine when keys are in the environment',
      undefined,
      { AWS_PROFILE: 'gone', AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' },
      { name: 'gone' },
    ],
  ])('%s', async (_name, flag, env, expected) => {
    expect(await resolveProfile(flag, { ...files, ...env })).toEqual(expected);
  });

  it('no files at all and no profile named: the default profile, no region, no error', async () => {
    expect(await resolveProfile(undefined, { AWS_CONFIG_FILE: join(tmp, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'none2') })).toEqual({
      name: 'default',
    });
  });

  it.each([
    ['--profile', 'nosuch', {}],
    ['AWS_PROFILE', undefined, { AWS_PROFILE: 'nosuch' }],
  ])('a missing profile named by %s names the source, the profile, the files and the profiles found', async (source, flag, env) => {
    const error = await resolveProfile(flag, { ...files, ...env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toContain(`${source}: no profile "nosuch" in ${configFile} or ${credentialsFile}`);
    expect(message).toMatch(/AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE when set, else ~\/\.aws\/config and ~\/\.aws\/credentials/);
    expect(message).toContain('Profiles found: analyst, default, keys-only, noregion.');
    expect(message).not.toContain('wJalrXUtnFEMI');
  });

  it('the files default to ~/.aws when the variables are unset', () => {
    const paths = profileFiles({});
    expect(paths.config).toMatch(/[/\\]\.aws[/\\]config$/);
    expect(paths.credentials).toMatch(/[/\\]\.aws[/\\]credentials$/);
  });
});

describe('on the emulator', () => {
  const env = useEmulator();
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
    Object.assign(process.env, files);
    env.proxy.resetCounters();
  });
  afterEach(() => {
    env.proxy.clearRules();
    process.env = saved;
  });

  const window = ['--start', '2026-11-01T00:00:00Z', '--end', '2026-11-02T00:00:00Z'];
  it.each([
    ['scan', (out: string) => ['scan', '--regions', 'us-east-1', '--out', out]],
    ['collect', (out: string) => ['collect', '--incident', 'INC-1', ...window, '--out', out]],
    ['hunt', () => ['hunt', '--access-key-id', 'AKIAIOSFODNN7EXAMPLE', ...window]],
    ['export securityhub', () => ['export', 'securityhub', join(tmp, 'absent.asff.json'), '--account', '123456789012', '--dry-run']],
  ])('%s --profile nosuch: exit 2 naming the profile and the files, no AWS call, nothing written', async (_name, args) => {
    const out = join(tmp, `never-${Math.random().toString(36).slice(2)}`);
    const run = await runCli([...args(out), '--profile', 'nosuch', '--endpoint-url', env.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^forensight: --profile: no profile "nosuch" in /);
    expect(run.stderr).toContain(configFile);
    expect(env.proxy.requests).toHaveLength(0);
    expect(existsSync(out)).toBe(false);
  });

  const regionOf = (action: string): string | undefined => env.proxy.requests.find((r) => r.action === action)?.region;

  it("scan: the first regional call goes to --region, else to the profile's region", async () => {
    // Region discovery refused: the scan covers the home region only, which keeps this test short.
    env.proxy.addRule({ match: { action: 'DescribeRegions' }, error: { status: 403, code: 'UnauthorizedOperation' } });
    await runCli(['scan', '--endpoint-url', env.url, '--region', 'eu-west-2', '--checks', 'guardduty-enabled', '--out', join(tmp, 'scan-flag')]);
    expect(regionOf('DescribeRegions')).toBe('eu-west-2');
    env.proxy.resetCounters();
    await runCli(['scan', '--endpoint-url', env.url, '--profile', 'analyst', '--checks', 'guardduty-enabled', '--out', join(tmp, 'scan-profile')]);
    expect(regionOf('DescribeRegions')).toBe('eu-central-1');
  }, 120_000);

  it('collect: region discovery runs in --region', async () => {
    await runCli([
      'collect',
      '--endpoint-url',
      env.url,
      '--incident',
      'INC-2',
      ...window,
      '--region',
      'eu-west-2',
      '--regions',
      'all',
      '--sources',
      'cloudtrail',
      '--baseline-days',
      '0',
      '--out',
      join(tmp, 'collect'),
    ]);
    expect(regionOf('DescribeRegions')).toBe('eu-west-2');
  }, 120_000);

  it("hunt runs Athena in the profile's region unless --region says otherwise", async () => {
    const hunt = ['hunt', '--access-key-id', 'AKIAIOSFODNN7EXAMPLE', ...window, '--output-location', 's3://results/hunt/', '--endpoint-url', env.url];
    await runCli([...hunt, '--profile', 'analyst']);
    expect(env.proxy.requests.find((r) => r.service === 'athena')?.region).toBe('eu-central-1');
    env.proxy.resetCounters();
    await runCli([...hunt, '--region', 'us-west-2']);
    expect(env.proxy.requests.find((r) => r.service === 'athena')?.region).toBe('us-west-2');
  }, 60_000);
});
