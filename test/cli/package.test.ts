// The published package: `npm pack` of the built tree installs into a clean folder and runs, and holds no test,
// demo, emulator or proxy code and no code that creates or changes AWS resources beyond the explicit writes.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIds } from '../../checks/index.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface Packed {
  dir: string;
  files: string[];
  installed: string;
  bin: string;
  /** The installed bin's runs, started together once the install is done (each CLI start costs ~2 s of CPU). */
  runs: { version: CliResult; checks: CliResult; demo: CliResult };
}

let packed: Packed;

/**
 * The clean folder's lockfile pins the tarball's dependencies to the repository's lockfile versions (its non-dev
 * entries, which are exactly the package's dependency tree), so `npm ci` installs from the npm cache that the
 * repository's own `npm ci` filled: no registry lookup, no network in CI.
 */
async function cleanLockfile(tarball: string): Promise<object> {
  const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as {
    version: string;
    license: string;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
    engines: Record<string, string>;
  };
  const lock = JSON.parse(await readFile(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const root = { name: 'clean-install', version: '1.0.0', dependencies: { forensight: `file:${tarball}` } };
  const packages: Record<string, unknown> = {
    '': root,
    'node_modules/forensight': {
      version: pkg.version,
      resolved: `file:${tarball}`,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && !entry.dev) packages[path] = entry;
  }
  return { name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages };
}

beforeAll(async () => {
  if (!existsSync(join(repo, 'dist/src/cli/bin.js'))) throw new Error('run `npm run build` first: the package is packed from dist/');
  const dir = await mkdtemp(join(tmpdir(), 'forensight-pack-'));
  // --ignore-scripts: `prepare` would rebuild; the test packs what `npm run build` already produced.
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  const tarball = info!.filename.replace(/^.*\//, '');
  const root = { name: 'clean-install', version: '1.0.0', private: true, dependencies: { forensight: `file:${tarball}` } };
  await writeFile(join(dir, 'package.json'), JSON.stringify(root));
  await writeFile(join(dir, 'package-lock.json'), JSON.stringify(await cleanLockfile(tarball)));
  // npm_config_* from a surrounding `npm test` (the repository's settings) must not reach the clean install.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], {
    cwd: dir,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const installed = join(dir, 'node_modules', 'forensight');
  const bin = join(dir, 'node_modules', '.bin', 'forensight');
  const [version, checks, demo] = await Promise.all([
    forensight(bin, dir, ['--version']),
    forensight(bin, dir, ['checks']),
    forensight(bin, dir, ['demo']),
  ]);
  packed = { dir, files: info!.files.map((f) => f.path), installed, bin, runs: { version, checks, demo } };
}, 240_000);

afterAll(async () => {
  if (packed) await rm(packed.dir, { recursive: true, force: true });
});

/** Runs the installed bin from the clean folder, outside the repository, so nothing resolves from the checkout. */
async function forensight(bin: string, cwd: string, args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(bin, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** SDK commands whose name does not start with a read verb, each with the one shipped file allowed to send it. */
const ALLOWED_NON_READ_COMMANDS: Record<string, { file: string; why: string }> = {
  BatchImportFindingsCommand: { file: 'dist/src/aws/securityhub.js', why: '`export securityhub`, a separate command that asks for --yes' },
  PutObjectCommand: {
    file: 'dist/src/collect/preserve.js',
    why: '`collect --preserve-to`: copies the sealed bundle into the Object Lock evidence bucket the user names',
  },
  StartQueryExecutionCommand: {
    file: 'dist/src/hunt/athena.js',
    why: '`hunt`: an Athena SELECT over the trail (results go to the --output-location the user names)',
  },
  StartQueryCommand: { file: 'dist/src/hunt/lake.js', why: '`hunt --lake`: a CloudTrail Lake SELECT' },
  AssumeRoleCommand: { file: 'dist/src/aws/credentials.js', why: 'STS credentials for the forensic role; changes nothing' },
  FilterLogEventsCommand: { file: 'dist/src/collect/sources/cwlogs.js', why: 'reads log events (a read verb CloudWatch Logs names Filter)' },
};
const READ_VERB = /^(Get|List|Describe|Lookup|Head|Search|Select)[A-Z]/;

/**
 * The SDK commands a compiled file can send: those it constructs (`new XCommand(`, also `new sdk.XCommand(`) and those it imports from an
 * `@aws-sdk/` package (statically or by `await import`). A CloudTrail event name in a rule's string or regex (the
 * analysis rules match SSM's SendCommand) is not a command the tool sends.
 */
function sdkCommandsIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name] of text.matchAll(/\bnew\s+(?:[\w$]+\.)*([A-Z][A-Za-z0-9]+Command)\b/g)) names.add(name!);
  const imports = /(?:import\s*\{([^}]*)\}\s*from\s*|const\s*\{([^}]*)\}\s*=\s*await\s+import\(\s*)['"]@aws-sdk\/[^'"]+['"]/g;
  for (const [, a, b] of text.matchAll(imports))
    for (const spec of (a ?? b ?? '').split(',')) {
      const name = spec.trim().split(/\s+as\s+|\s*:\s*/)[0]!;
      if (/^[A-Z][A-Za-z0-9]+Command$/.test(name)) names.add(name);
    }
  return names;
}

describe('npm pack', () => {
  it('installs into a clean folder and the installed bin runs --version and checks', async () => {
    const version = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { version: string };
    const v = packed.runs.version;
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(version.version);
    const checks = packed.runs.checks;
    expect(checks.code).toBe(0);
    expect(checks.stdout.split('\n')[0]).toMatch(/^id\s+severity\s+service/);
    for (const id of checkIds) expect(checks.stdout).toContain(id);
  });

  it('the installed demo refuses with a usage error, since the emulator and the seeding are not shipped', () => {
    const demo = packed.runs.demo;
    expect(demo.code).toBe(2);
    expect(demo.stderr).toMatch(/^forensight: the demo runs only from a source checkout/m);
  });

  it('holds no test, demo, bench, emulator or proxy code', () => {
    expect(packed.files.length).toBeGreaterThan(50);
    const offending = packed.files.filter(
      (f) =>
        /(^|\/)(test|tests|demo|bench|scripts|\.ci)\//.test(f) ||
        /(^|\/)(moto|proxy|emulator|seed|sample-org|[^/]*\.test)\.[cm]?[jt]s$/.test(f) ||
        /\.ts$/.test(f.replace(/\.d\.ts$/, '')),
    );
    expect(offending).toEqual([]);
  });

  it('sends no SDK command that creates or changes AWS resources except the explicit writes, each from its one module', async () => {
    const found = new Map<string, Set<string>>();
    for (const file of packed.files.filter((f) => f.endsWith('.js'))) {
      const text = await readFile(join(packed.installed, file), 'utf8');
      for (const name of sdkCommandsIn(text)) {
        if (READ_VERB.test(name)) continue;
        found.set(name, (found.get(name) ?? new Set()).add(file));
      }
    }
    for (const [name, files] of found) {
      expect(ALLOWED_NON_READ_COMMANDS[name], `${name} in ${[...files].join(', ')} is not a read and not an allowed write`).toBeDefined();
      expect([...files]).toEqual([ALLOWED_NON_READ_COMMANDS[name]!.file]);
    }
    expect(found.has('BatchImportFindingsCommand')).toBe(true);
  });
});
