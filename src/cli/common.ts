// Shared CLI plumbing: exit codes, usage errors, the account/role/region options of scan and collect.
import { access, constants, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import type { AccountSelection } from '../aws/organization.js';
import { DEFAULT_SCAN_ROLE_NAME } from '../aws/role-names.js';
import type { TargetOptions } from '../aws/session.js';
import { isKnownRegion, unknownRegionMessage } from '../scan/regions.js';
import { onInterrupt, recordWritten } from './interrupt.js';

/** Every error line of every command starts with this. */
export const ERROR_PREFIX = 'forensight: ';

export const EXIT = { ok: 0, findings: 1, usage: 2, nothingScanned: 3, interrupted: 130 } as const;

/** The exit codes of every command, as help and the README state them. */
export const EXIT_CODE_TABLE =
  '0 done; 1 done and the gate failed (findings at or above --fail-on, unassessed results, coverage under --min-coverage, or verify found tampering); 2 bad usage or configuration; 3 nothing could be scanned, or an internal error; 130 interrupted (Ctrl-C); 141 stdout closed early (a pipe into head).';

/** Bad flags, config or input: the message says what to fix; exit code 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
}

/** The exit code an error asks for (errors carry it: `readonly exitCode`); anything else is an internal error, 3. */
export function exitCodeOf(error: unknown): number {
  const code = (error as { exitCode?: unknown } | null)?.exitCode;
  return code === EXIT.findings || code === EXIT.usage || code === EXIT.nothingScanned ? code : EXIT.nothingScanned;
}

/** Nothing could be scanned or collected (no credentials, Organization unreadable); exit code 3. */
export class NothingScannedError extends Error {
  readonly exitCode = EXIT.nothingScanned;
}

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Progress bars only on a terminal; plain lines otherwise. */
  stderrIsTTY: boolean;
  /** The raw terminal, for a progress bar only (set by guardIo); everything else prints through stderr. */
  tty?: NodeJS.WriteStream;
  /** stdout and stderr sanitise what is written (guardIo in src/cli/terminal.ts). */
  guarded?: boolean;
  /** --quiet: no progress and no summary; errors and the exit code still say what happened. */
  quiet?: boolean;
  /** Colour on stderr: a terminal, without --no-color or NO_COLOR (https://no-color.org). */
  color?: boolean;
}

export const processIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, stderrIsTTY: Boolean(process.stderr.isTTY) });

const ACCOUNT_ID = /^\d{12}$/;
const OU_ID = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseAccountIds(flag: string, value: string | undefined): string[] {
  const ids = splitList(value);
  for (const id of ids) {
    if (!ACCOUNT_ID.test(id)) throw new UsageError(`${flag}: "${id}" is not a 12-digit AWS account id (keep leading zeros).`);
  }
  return ids;
}

export function parseRegions(value: string | undefined): string[] | 'all' {
  if (value === undefined || value.trim() === 'all') return 'all';
  const regions = splitList(value);
  if (regions.length === 0) throw new UsageError('--regions: give a comma-separated list such as us-east-1,eu-west-1, or "all".');
  for (const r of regions) {
    if (!REGION.test(r)) throw new UsageError(`--regions: "${r}" is not an AWS region name (for example us-east-1), or use "all".`);
    if (!isKnownRegion(r)) throw new UsageError(unknownRegionMessage('--regions', r));
  }
  return [...new Set(regions)];
}

/** One region name (--region): validated like each of --regions. */
export function parseRegionName(flag: string, value: string): string {
  const region = value.trim();
  if (!REGION.test(region)) throw new UsageError(`${flag}: "${value}" is not an AWS region name (for example us-east-1).`);
  if (!isKnownRegion(region)) throw new UsageError(unknownRegionMessage(flag, region));
  return region;
}

/**
 * The home region (first calls: STS, Organizations, region discovery): --region, else the profile's configured
 * region, else AWS_REGION / AWS_DEFAULT_REGION, else the first of an explicit --regions list, else us-east-1.
 */
export function homeRegionFor(input: {
  flag?: string | undefined;
  profileRegion?: string | undefined;
  env?: NodeJS.ProcessEnv;
  regions?: string[] | 'all';
}): string {
  if (input.flag !== undefined) return parseRegionName('--region', input.flag);
  const env = input.env ?? process.env;
  const configured: [string, string | undefined][] = [
    ['the region of the AWS profile', input.profileRegion],
    ['AWS_REGION', env.AWS_REGION],
    ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION],
  ];
  for (const [source, value] of configured) {
    if (value) return parseRegionName(source, value);
  }
  return input.regions && input.regions !== 'all' ? input.regions[0]! : 'us-east-1';
}

export function parsePositiveInt(flag: string, value: string | undefined, fallback: number, max = 1000): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag}: "${value}" must be a whole number from 1 to ${max}.`);
  return n;
}

/** "90s", "30m", "2h", "1500ms" or a plain number of seconds -> milliseconds. */
export function parseDuration(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  const ms = m ? Number(m[1]) * unit[(m[2] ?? 's') as keyof typeof unit] : NaN;
  if (!Number.isFinite(ms) || ms < 1 || ms > 7 * 24 * 3_600_000)
    throw new UsageError(`${flag}: "${value}" is not a duration; use e.g. 90s, 30m or 2h (at most 7 days).`);
  return Math.round(ms);
}

export function addTargetOptions(cmd: Command, defaultRoleName = DEFAULT_SCAN_ROLE_NAME): Command {
  return cmd
    .option('--org', 'every account of the Organization (from the management or a delegated-admin account)')
    .option('--ou <id>', 'every account under this organizational unit (subtree)')
    .option('--accounts <ids>', 'comma-separated account ids')
    .option('--exclude-accounts <ids>', 'comma-separated account ids to leave out')
    .option('--role-name <name>', `forensic role to assume in each account (default ${defaultRoleName}; not needed for your own account)`)
    .option('--external-id <id>', 'ExternalId the forensic role trust policy requires')
    .option('--hub-role-arn <arn>', 'role assumed first, from which the member roles are assumed')
    .option('--profile <name>', 'AWS profile for the base credentials (else the standard provider chain)')
    .option(
      '--region <name>',
      "home region for the first calls (default: the profile's region, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1)",
    )
    .option('--regions <list>', 'comma-separated regions, or "all" = every region enabled in the account', 'all')
    .option('--endpoint-url <url>', 'send every AWS call to this URL (an emulator)')
    .option('--concurrency <n>', 'account x region work units in parallel', '16')
    .addOption(new Option('--max-attempts <n>', 'SDK attempts per call (adaptive retries)').default('5').hideHelp())
    .addOption(
      new Option('--request-timeout-ms <ms>', 'time one AWS request may take to answer, or sit idle mid-answer, before it is retried').hideHelp(),
    );
}

export interface RawTargetOptions {
  org?: boolean;
  ou?: string;
  accounts?: string;
  excludeAccounts?: string;
  roleName?: string;
  externalId?: string;
  hubRoleArn?: string;
  profile?: string;
  region?: string;
  regions?: string;
  endpointUrl?: string;
  concurrency?: string;
  maxAttempts?: string;
  requestTimeoutMs?: string;
}

/** `profileRegion`: the configured region of the profile in use (resolveProfile), the home region's first default. */
export function parseTargetOptions(raw: RawTargetOptions, profileRegion?: string): TargetOptions {
  const modes = [raw.org ? '--org' : null, raw.ou ? '--ou' : null, raw.accounts ? '--accounts' : null].filter(Boolean);
  if (modes.length > 1) throw new UsageError(`Choose one of ${modes.join(', ')}: they select accounts in different ways.`);
  let selection: AccountSelection = { mode: 'self' };
  if (raw.org) selection = { mode: 'org' };
  if (raw.ou) {
    if (!OU_ID.test(raw.ou)) throw new UsageError(`--ou: "${raw.ou}" is not an OU id (ou-xxxx-xxxxxxxx) or root id (r-xxxx).`);
    selection = { mode: 'ou', ouId: raw.ou };
  }
  if (raw.accounts !== undefined) {
    const ids = parseAccountIds('--accounts', raw.accounts);
    if (ids.length === 0) throw new UsageError('--accounts: give at least one 12-digit account id.');
    selection = { mode: 'accounts', accountIds: [...new Set(ids)] };
  }
  if (raw.roleName !== undefined && !ROLE_NAME.test(raw.roleName))
    throw new UsageError(`--role-name: "${raw.roleName}" is not a valid IAM role name (letters, digits and +=,.@_- up to 64).`);
  if (raw.hubRoleArn !== undefined && !ROLE_ARN.test(raw.hubRoleArn))
    throw new UsageError(`--hub-role-arn: "${raw.hubRoleArn}" is not an IAM role ARN (arn:aws:iam::123456789012:role/Name).`);
  if (raw.externalId !== undefined && !EXTERNAL_ID.test(raw.externalId))
    throw new UsageError('--external-id: must be 2-1224 characters of letters, digits and +=,.@:/-.');
  if (raw.endpointUrl !== undefined) {
    if (!URL.canParse(raw.endpointUrl) || !['http:', 'https:'].includes(new URL(raw.endpointUrl).protocol))
      throw new UsageError(`--endpoint-url: "${raw.endpointUrl}" is not an http(s) URL.`);
  }
  const regions = parseRegions(raw.regions);
  return {
    selection,
    exclude: parseAccountIds('--exclude-accounts', raw.excludeAccounts),
    ...(raw.roleName !== undefined ? { roleName: raw.roleName } : {}),
    ...(raw.externalId !== undefined ? { externalId: raw.externalId } : {}),
    ...(raw.hubRoleArn !== undefined ? { hubRoleArn: raw.hubRoleArn } : {}),
    ...(raw.profile !== undefined ? { profile: raw.profile } : {}),
    ...(raw.endpointUrl !== undefined ? { endpoint: raw.endpointUrl } : {}),
    regions,
    homeRegion: homeRegionFor({ flag: raw.region, profileRegion, regions }),
    concurrency: parsePositiveInt('--concurrency', raw.concurrency, 16, 256),
    maxAttempts: parsePositiveInt('--max-attempts', raw.maxAttempts, 5, 20),
    ...(raw.requestTimeoutMs !== undefined
      ? { requestTimeoutMs: parsePositiveInt('--request-timeout-ms', raw.requestTimeoutMs, 30_000, 600_000) }
      : {}),
  };
}

/** Writes a file's content only after it is complete, so nothing is ever half-written. */
export async function writeFileAtomic(path: string, data: string | Uint8Array | Iterable<string>): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const removeTmp = onInterrupt(() => rm(tmp, { force: true }));
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } finally {
    removeTmp();
  }
  recordWritten(path);
}

/** The example block every command's help ends with. */
export function helpExamples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/**
 * Checks an output directory before any work: it is a directory or can be created as one (the nearest existing
 * ancestor is a writable directory). A file there is a usage error now, not a stack trace after a whole scan.
 */
export async function assertOutputDirectory(flag: string, dir: string): Promise<void> {
  let probe = dir;
  for (;;) {
    const info = await stat(probe).catch(() => null);
    if (info) {
      if (!info.isDirectory()) {
        throw new UsageError(
          probe === dir
            ? `${flag}: "${dir}" is a file, not a directory; give a directory for the outputs.`
            : `${flag}: cannot create "${dir}": "${probe}" is a file, not a directory.`,
        );
      }
      const writable = await access(probe, constants.W_OK).then(
        () => true,
        () => false,
      );
      if (!writable) throw new UsageError(`${flag}: cannot write to "${probe}" (permission denied); give a directory you can write to.`);
      return;
    }
    const parent = dirname(probe);
    if (parent === probe) return;
    probe = parent;
  }
}
