// Nothing that came from AWS or from evidence reaches the terminal raw: escape sequences planted in account
// names, file names inside a bundle, gap reasons, scan files and report inputs come out as visible escapes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  DescribeCreateAccountStatusCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { guardIo, guardStream, sanitizeInline, sanitizeOutput, terminalSafeJson } from '../../src/cli/terminal.js';
import { BundleWriter } from '../../src/collect/bundle.js';
import { ACTOR, cleanupTempDirs, header, makeBundle, tempDir } from '../collect/helpers.js';
import { runCli } from '../support/cli.js';
import { TEST_CREDENTIALS, useEmulator } from '../support/emulator.js';

/** OSC 52 clipboard write, title change, screen clear, a C1 CSI, a bidi override and a fake new line. */
const HOSTILE = 'evil\u001b]52;c;Y3VybCBldmlsfHNo\u0007\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202egnp.exe\r\nFAKE LINE';
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

function expectTerminalSafe(text: string): void {
  expect(text).not.toMatch(RAW_CONTROL);
}

afterAll(cleanupTempDirs);

describe('the sanitiser', () => {
  it.each([
    ['ESC of an OSC 52 clipboard write', '\u001b]52;c;QQ==\u0007', '\\x1b]52;c;QQ==\\x07'],
    ['a CSI screen clear', '\u001b[2J', '\\x1b[2J'],
    ['a C1 CSI', 'a\u009b31m', 'a\\x9b31m'],
    ['DEL and NUL', 'a\u007f\u0000', 'a\\x7f\\x00'],
    ['a right-to-left override', 'x\u202eexe.txt', 'x\\u202eexe.txt'],
    ['a bidi isolate and a zero-width joiner', '\u2066a\u200d', '\\u2066a\\u200d'],
    ['a carriage return and a newline inside one value', 'a\rb\nc', 'a\\x0db\\x0ac'],
    ['plain text with unicode', 'ml-prod données 模型', 'ml-prod données 模型'],
  ])('inline: %s', (_name, input, expected) => {
    expect(sanitizeInline(input)).toBe(expected);
  });

  it('output blocks keep their lines and tabs but escape the rest', () => {
    expect(sanitizeOutput('a\tb\nc\u001b[2Jd\r\n')).toBe('a\tb\nc\\x1b[2Jd\\x0d\n');
  });

  it('JSON for stdout stays the same JSON value while a terminal cannot act on it', () => {
    const value = { name: HOSTILE, nested: [HOSTILE] };
    const json = terminalSafeJson(value);
    expectTerminalSafe(json);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('a guarded stream sanitises strings and buffers, whatever the writer', () => {
    const target = new PassThrough();
    let out = '';
    target.on('data', (d: Buffer) => (out += d.toString()));
    const guarded = guardStream(target);
    guarded.write(HOSTILE);
    guarded.write(Buffer.from(`\n${HOSTILE}\n`));
    expectTerminalSafe(out);
    expect(out).toContain('\\x1b]52;c;');
  });

  it('guardIo keeps the raw terminal only for a progress bar', () => {
    const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
    const io = guardIo({ stdout: new PassThrough(), stderr, stderrIsTTY: true });
    expect(io.tty).toBe(stderr);
    expect(io.stderr).not.toBe(stderr);
    expect(guardIo(io)).toBe(io);
  });
});

describe('every print path of the CLI', () => {
  it('report: validation errors naming a hostile file and hostile content', async () => {
    const dir = await tempDir('hostile-report');
    const file = join(dir, `scan${HOSTILE.replace(/[\r\n/]/g, '')}.json`);
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, scanId: HOSTILE, accounts: [{ name: HOSTILE }] }));
    const run = await runCli(['report', file, '--out', join(dir, 'out')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('\\x1b]52');
    expectTerminalSafe(run.stderr);
    expectTerminalSafe(run.stdout);
  });

  it('verify and analyze: a file planted in a bundle under a hostile name', async () => {
    const bundle = await makeBundle(await tempDir('hostile-bundle'));
    await writeFile(join(bundle, 'evidence', HOSTILE.replace(/[\r\n/]/g, '')), 'planted');
    const verify = await runCli(['verify', bundle]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain('\\x1b]52');
    expectTerminalSafe(verify.stdout + verify.stderr);
    const analyze = await runCli(['analyze', bundle, '--out', join(bundle, '..', 'analysis')]);
    expect(analyze.code).toBe(1);
    expect(analyze.stderr).toContain('\\x1b]52');
    expectTerminalSafe(analyze.stdout + analyze.stderr);
  });

  it('analyze: gap reasons and summaries from a bundle with hostile text', async () => {
    const writer = await BundleWriter.create(await tempDir('hostile-gap'), 'INC-1', ACTOR);
    await writer.addGap({
      accountId: '123456789012',
      region: 'us-east-1',
      source: 'cloudtrail',
      reason: `AccessDenied reading s3://trail/${HOSTILE}`,
    });
    await writer.seal(header(writer.id), { apiCalls: 1, durationMs: 1 });
    const run = await runCli(['analyze', writer.dir, '--out', join(writer.dir, '..', 'analysis')]);
    expectTerminalSafe(run.stdout + run.stderr);
  });

  it('an unknown flag and a bad value are echoed escaped', async () => {
    const flag = await runCli(['scan', `--${HOSTILE}`]);
    expect(flag.code).toBe(2);
    expectTerminalSafe(flag.stderr);
    const value = await runCli(['scan', '--accounts', HOSTILE]);
    expect(value.code).toBe(2);
    expect(value.stderr).toContain('\\x1b]52');
    expectTerminalSafe(value.stderr);
  });
});

describe('scan on the emulator', () => {
  const env = useEmulator();

  it('progress lines and the summary show a hostile account name escaped', async () => {
    const org = new OrganizationsClient({ endpoint: env.url, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created = await org.send(new CreateAccountCommand({ AccountName: HOSTILE, Email: 'evil@example.com' }));
    await org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus!.Id! }));
    const out = join(await tempDir('hostile-scan'), 'scan');
    mkdirSync(join(out, '..'), { recursive: true });
    const run = await runCli(['scan', '--org', '--regions', 'us-east-1', '--endpoint-url', env.url, '--max-attempts', '1', '--out', out]);
    expect(run.stderr).toContain('\\x1b]52');
    expectTerminalSafe(run.stdout + run.stderr);
    const stdout = await runCli(['scan', '--org', '--regions', 'us-east-1', '--endpoint-url', env.url, '--max-attempts', '1', '--out', '-']);
    expectTerminalSafe(stdout.stdout + stdout.stderr);
    expect(JSON.stringify(JSON.parse(stdout.stdout))).toContain('\\u001b]52');
  }, 120_000);
});
