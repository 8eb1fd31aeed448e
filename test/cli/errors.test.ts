// One error prefix and one exit-code table: errors carry their exit code; anything unexpected is exit 3 with
// one line (the stack only with --debug); unknown flags suggest only flags of the same meaning.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.js';
import { DiscoveryError } from '../../src/aws/organization.js';
import { EXIT, exitCodeOf, NothingScannedError, UsageError } from '../../src/cli/common.js';
import { internalErrorLine } from '../../src/cli/main.js';
import { suggestFlag } from '../../src/cli/suggest.js';
import { runCli } from '../support/cli.js';

describe('exit codes come from the errors', () => {
  it.each([
    ['a usage error', new UsageError('bad'), EXIT.usage],
    ['a config error', new ConfigError('bad'), EXIT.usage],
    ['nothing scanned', new NothingScannedError('none'), EXIT.nothingScanned],
    ['an unreadable Organization', new DiscoveryError('no org'), EXIT.nothingScanned],
    ['an unexpected TypeError', new TypeError('x is undefined'), EXIT.nothingScanned],
    ['a thrown string', 'boom', EXIT.nothingScanned],
    ['an error asking for an unknown code', Object.assign(new Error('odd'), { exitCode: 7 }), EXIT.nothingScanned],
  ])('%s', (_name, error, code) => {
    expect(exitCodeOf(error)).toBe(code);
  });

  it('an internal error is one line without --debug and the stack with it, secrets redacted', () => {
    const error = new TypeError('cannot read x of AKIAIOSFODNN7EXAMPLE');
    const line = internalErrorLine(error, false);
    expect(line).toMatch(/^forensight: internal error: TypeError: cannot read x of .* \(run with --debug for the stack trace\)\n$/);
    expect(line.trim().split('\n')).toHaveLength(1);
    expect(line).not.toContain('AKIAIOSFODNN7EXAMPLE');
    const debug = internalErrorLine(error, true);
    expect(debug).toContain('at ');
    expect(debug).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });
});

describe('did-you-mean', () => {
  const scanFlags = ['--org', '--out', '--format', '--accounts', '--regions', '--region', '--checks', '--config', '--fail-on'];
  it.each([
    ['the AWS CLI --output is the format, not the directory', '--output', '--format'],
    ["Prowler's --output-directory is --out", '--output-directory', '--out'],
    ['a one-letter typo', '--fromat', '--format'],
    ['the British spelling', '--organisation', '--org'],
    ['a transposition', '--cheks', '--checks'],
    ['nothing near', '--verbose', null],
    ['a short flag three edits away', '--xyz', null],
    ['a meaning the command does not have', '--severities', null],
  ])('%s', (_name, typed, expected) => {
    expect(suggestFlag(typed, scanFlags)).toBe(expected);
  });

  it('through the CLI: one prefix, the suggestion of the same meaning, exit 2', async () => {
    const run = await runCli(['scan', '--output', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^forensight: unknown option '--output'\n\(Did you mean --format\?\)/);
    expect(run.stderr).not.toContain('--out?');
  });
});
