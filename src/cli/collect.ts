// forensight collect: incident evidence from every affected account into a verifiable bundle.
import { randomBytes } from 'node:crypto';
import { access, readFile, realpath } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import type { ClientFactory } from '../aws/clients.js';
import type { Session, TargetOptions } from '../aws/session.js';
import { BaselineError, parseBaseline, type BaselineEntry } from '../collect/baseline.js';
import type { CollectResult } from '../collect/collector.js';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from '../collect/parsers/stream-reader.js';
import { readSealKey, SealKeyError } from '../collect/seal.js';
import { loadConfigFile } from '../config/load.js';
import type { EventFilter } from '../collect/filters.js';
import { osUser } from '../collect/custody.js';
import { CUSTODY_FILE, DEFAULT_BASELINE_DAYS, MANIFEST_FILE, SOURCE_NAMES, type SourceName } from '../collect/manifest.js';
import { INCIDENT_ID } from '../collect/paths.js';
import { parsePreserveUri, preserveBundle, PreserveRefusedError, requireObjectLock, type PreserveTarget } from '../collect/preserve.js';
import type { CollectProgress } from '../collect/progress.js';
import { DEFAULT_COLLECT_ROLE_NAME } from '../aws/role-names.js';
import { TOOL_VERSION } from '../version.js';
import { hostname } from 'node:os';
import {
  addTargetOptions,
  EXIT,
  helpExamples,
  parsePositiveInt,
  parseTargetOptions,
  splitList,
  UsageError,
  type Io,
  type RawTargetOptions,
} from './common.js';
import { holdExitUntil, recordWritten } from './interrupt.js';
import { resolveProfile } from './profile.js';
import { sanitizeInline } from './terminal.js';

export interface RawCollectOptions extends RawTargetOptions {
  incident?: string;
  start?: string;
  end?: string;
  principal?: string;
  accessKeyId?: string;
  sourceIp?: string;
  aiOnly?: boolean;
  sources?: string;
  out?: string;
  preserveTo?: string;
  retentionDays?: string;
  baseline?: string;
  baselineDays?: string;
  config?: string;
  eventsCopy?: boolean;
  maxExpandedBytes?: string;
  maxRecordBytes?: string;
  deadline?: string;
  sealKey?: string;
}

export interface ParsedCollectOptions {
  incident: string;
  window: { start: Date; end: Date };
  sources: SourceName[];
  filter: EventFilter;
  outDir: string;
  target: TargetOptions;
  preserveTo: PreserveTarget | null;
  retentionDays: number | undefined;
  baselineFile: string | undefined;
  baselineDays: number;
  limits: StreamLimits;
  eventsCopy: boolean;
  /** Milliseconds from the start of collection after which no new work starts and the bundle is sealed. */
  deadlineMs: number | null;
  sealKeyFile: string | undefined;
  configFile: string | undefined;
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:(user|role|assumed-role|root|federated-user)(\/[\w+=,.@/-]*)?$/;
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
const SOURCE_ALIASES: Record<string, SourceName[]> = { s3: ['s3-access-logs', 'model-artifacts'], all: [...SOURCE_NAMES] };

export function parseIsoTime(flag: string, value: string | undefined): Date {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required: an ISO-8601 UTC time such as 2026-11-01T00:00Z.`);
  const m = ISO_TIME.exec(value.trim());
  const t = m ? new Date(value.trim()) : null;
  const fieldsValid =
    m &&
    Number(m[2]) >= 1 &&
    Number(m[2]) <= 12 &&
    Number(m[3]) >= 1 &&
    Number(m[3]) <= 31 &&
    Number(m[4]) <= 23 &&
    Number(m[5]) <= 59 &&
    Number(m[6] ?? 0) <= 59;
  if (!m || !t || Number.isNaN(t.getTime()) || !fieldsValid || (m[7] === 'Z' && t.getUTCDate() !== Number(m[3]))) {
    throw new UsageError(`${flag}: "${value}" is not an ISO-8601 time with a zone, for example 2026-11-01T00:00Z or 2026-11-01T09:30:00+02:00.`);
  }
  return t;
}

export function parseSources(value: string | undefined): SourceName[] {
  if (value === undefined) return [...SOURCE_NAMES];
  const names = splitList(value);
  if (names.length === 0) throw new UsageError(`--sources: give a comma-separated list of ${SOURCE_NAMES.join(', ')} (or s3, all).`);
  const out = new Set<SourceName>();
  for (const n of names) {
    const alias = SOURCE_ALIASES[n];
    if (alias) alias.forEach((a) => out.add(a));
    else if ((SOURCE_NAMES as readonly string[]).includes(n)) out.add(n as SourceName);
    else throw new UsageError(`--sources: unknown source "${n}"; use ${SOURCE_NAMES.join(', ')}, s3 (both S3 sources) or all.`);
  }
  return SOURCE_NAMES.filter((s) => out.has(s));
}

/** `profileRegion`: the configured region of the profile in use (resolveProfile). */
export function parseCollectOptions(raw: RawCollectOptions, profileRegion?: string): ParsedCollectOptions {
  if (raw.incident === undefined) throw new UsageError('--incident is required: an incident id such as INC-42 (it names the bundle directory).');
  if (!INCIDENT_ID.test(raw.incident) || raw.incident.includes('..')) {
    throw new UsageError(
      `--incident: "${raw.incident}" must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (it becomes a directory name).`,
    );
  }
  const start = parseIsoTime('--start', raw.start);
  const end = parseIsoTime('--end', raw.end);
  if (start.getTime() >= end.getTime()) throw new UsageError(`--start (${start.toISOString()}) must be before --end (${end.toISOString()}).`);
  const filter: EventFilter = {};
  if (raw.principal !== undefined) {
    if (!PRINCIPAL_ARN.test(raw.principal))
      throw new UsageError(
        `--principal: "${raw.principal}" is not an IAM or STS principal ARN (arn:aws:iam::123456789012:user/Name, :role/Name or arn:aws:sts::123456789012:assumed-role/Name/Session).`,
      );
    filter.principal = raw.principal;
  }
  if (raw.accessKeyId !== undefined) {
    if (!ACCESS_KEY_ID.test(raw.accessKeyId))
      throw new UsageError(
        `--access-key-id: "${raw.accessKeyId}" is not an access key id (AKIA or ASIA followed by 16 capitals or digits). Never pass a secret key.`,
      );
    filter.accessKeyId = raw.accessKeyId;
  }
  if (raw.sourceIp !== undefined) {
    if (isIP(raw.sourceIp.trim()) === 0) throw new UsageError(`--source-ip: "${raw.sourceIp}" is not an IPv4 or IPv6 address.`);
    filter.sourceIp = raw.sourceIp.trim();
  }
  if (raw.aiOnly) filter.aiOnly = true;
  let preserveTo: PreserveTarget | null = null;
  if (raw.preserveTo !== undefined) {
    preserveTo = parsePreserveUri(raw.preserveTo);
    if (!preserveTo) throw new UsageError(`--preserve-to: "${raw.preserveTo}" is not an s3://bucket/prefix URI.`);
  }
  const retentionDays = raw.retentionDays === undefined ? undefined : parsePositiveInt('--retention-days', raw.retentionDays, 365, 36500);
  if (retentionDays !== undefined && !preserveTo) throw new UsageError('--retention-days only applies with --preserve-to.');
  const target = parseTargetOptions(raw, profileRegion);
  // The collection role has its own default name; your own account needs no role.
  if (target.roleName === undefined && (target.selection.mode !== 'self' || target.hubRoleArn)) target.roleName = DEFAULT_COLLECT_ROLE_NAME;
  return {
    incident: raw.incident,
    window: { start, end },
    sources: parseSources(raw.sources),
    filter,
    outDir: resolve(raw.out ?? '.'),
    target,
    preserveTo,
    retentionDays,
    baselineFile: raw.baseline,
    baselineDays: parseBaselineDays(raw.baselineDays),
    limits: parseStreamLimits(raw),
    eventsCopy: Boolean(raw.eventsCopy),
    deadlineMs: raw.deadline === undefined ? null : parseDeadline(raw.deadline, new Date()),
    sealKeyFile: raw.sealKey,
    configFile: raw.config,
  };
}

export function parseBaselineDays(value: string | undefined): number {
  if (value === undefined) return DEFAULT_BASELINE_DAYS;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n > 365)
    throw new UsageError(`--baseline-days: "${value}" must be a whole number of days from 0 (no lookback) to 365.`);
  return n;
}

const BYTE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** --max-expanded-bytes and --max-record-bytes: the limits of each log file read while it streams (collect and hunt). */
export function addStreamLimitOptions(command: Command): Command {
  return command
    .option(
      '--max-expanded-bytes <size>',
      `stop reading a log file past this many decompressed bytes (default ${DEFAULT_STREAM_LIMITS.maxExpandedBytes / 1024 ** 3}G); the file is still preserved whole`,
    )
    .option(
      '--max-record-bytes <size>',
      `skip (and report) a log record larger than this (default ${DEFAULT_STREAM_LIMITS.maxRecordBytes / 1024 ** 2}M)`,
    );
}

export function parseStreamLimits(raw: { maxExpandedBytes?: string; maxRecordBytes?: string }): StreamLimits {
  return {
    maxExpandedBytes: parseByteSize('--max-expanded-bytes', raw.maxExpandedBytes, DEFAULT_STREAM_LIMITS.maxExpandedBytes),
    maxRecordBytes: parseByteSize('--max-record-bytes', raw.maxRecordBytes, DEFAULT_STREAM_LIMITS.maxRecordBytes),
  };
}

/** 1048576, 512K, 64M, 2G (binary units). */
export function parseByteSize(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const m = /^(\d+)\s*([kmg]?)i?b?$/i.exec(value.trim());
  const n = m ? Number(m[1]) * BYTE_UNITS[m[2]!.toLowerCase()]! : NaN;
  if (!m || !Number.isSafeInteger(n) || n < 1024)
    throw new UsageError(`${flag}: "${value}" is not a size of at least 1K; give bytes or a number with K, M or G (for example 64M).`);
  return n;
}

/** A duration (90s, 30m, 2h) from now, or an ISO-8601 time; returned as milliseconds from `now`. */
export function parseDeadline(value: string, now: Date): number {
  const m = /^(\d+)\s*(s|m|h)$/.exec(value.trim());
  if (m) {
    const ms = Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
    if (ms < 1000) throw new UsageError(`--deadline: "${value}" must be at least 1s.`);
    return ms;
  }
  if (!ISO_TIME.test(value.trim()))
    throw new UsageError(`--deadline: "${value}" is neither a duration (90s, 30m, 2h) nor an ISO-8601 time with a zone.`);
  const at = parseIsoTime('--deadline', value);
  if (at.getTime() <= now.getTime()) throw new UsageError(`--deadline: ${at.toISOString()} is already past.`);
  return at.getTime() - now.getTime();
}

/** Above this many days the window is unusual: say how much it would read before reading it. */
export const LONG_WINDOW_DAYS = 31;

/** A warning with an estimate for a window longer than LONG_WINDOW_DAYS, else null. */
export function longWindowWarning(window: { start: Date; end: Date }, baselineDays: number, accounts: number, regions: number): string | null {
  const days = (window.end.getTime() - window.start.getTime()) / 86_400_000;
  if (days <= LONG_WINDOW_DAYS) return null;
  const totalDays = Math.ceil(days) + baselineDays;
  // CloudTrail delivers a file about every 5 minutes per account-region with activity: 288 a day.
  const files = totalDays * 288 * Math.max(1, accounts) * Math.max(1, regions);
  const listings = totalDays * 2 * Math.max(1, accounts) * Math.max(1, regions);
  return `the window is ${Math.round(days)} days long (${window.start.toISOString()} to ${window.end.toISOString()}): for ${accounts} account(s) x ${regions} region(s) expect up to about ${files.toLocaleString('en-US')} CloudTrail files and ${listings.toLocaleString('en-US')} day listings, plus the other sources. Narrow --start/--end, or add --deadline to bound the run.`;
}

/** The directory (or an ancestor) is a sealed evidence bundle: writing into it would break it. */
export async function enclosingBundle(dir: string): Promise<string | null> {
  let current = dir;
  try {
    current = await realpath(dir);
  } catch {
    // not created yet: check the path as given, and its ancestors
  }
  for (;;) {
    try {
      await access(join(current, MANIFEST_FILE));
      await access(join(current, CUSTODY_FILE));
      return current;
    } catch {
      // not a bundle; look further up
    }
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

export interface CollectCommandDeps {
  factory?: ClientFactory;
  /** Where SIGINT comes from (the process by default; tests pass an emitter). */
  interrupts?: Pick<NodeJS.EventEmitter, 'once' | 'off'>;
}

/** Exit code after SIGINT, as shells report a command ended by signal 2. */
export const EXIT_INTERRUPTED = 130;

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export function collectProgressDisplay(io: Io): { update(p: CollectProgress): void; stop(): void } {
  if (io.stderrIsTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: io.tty ?? io.stderr,
        format: ' {bar} {accounts} accounts | {value}/{total} sources | {items} items {bytes} | {message}',
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const payload = {
          accounts: `${p.accountsDone}/${p.accountsTotal}`,
          items: p.items,
          bytes: formatBytes(p.bytes),
          message: sanitizeInline(p.message ?? p.phase).slice(0, 40),
        };
        if (!started && p.sourcesTotal > 0) {
          bar.start(p.sourcesTotal, p.sourcesDone, payload);
          started = true;
        } else if (started) bar.update(Math.min(p.sourcesDone, p.sourcesTotal), payload);
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = '';
  let lastAt = 0;
  return {
    update(p) {
      const line = `[forensight] ${p.phase}: ${p.accountsDone}/${p.accountsTotal} accounts, ${p.sourcesDone}/${p.sourcesTotal} sources, ${p.items} items, ${formatBytes(p.bytes)}${p.message ? ` (${sanitizeInline(p.message)})` : ''}`;
      const now = Date.now();
      if (line !== last && (now - lastAt > 2000 || p.phase === 'done' || p.phase === 'seal')) {
        io.stderr.write(`${line}\n`);
        last = line;
        lastAt = now;
      }
    },
    stop() {},
  };
}

async function readModelBaseline(file: string | undefined): Promise<{ file: string; entries: BaselineEntry[] } | undefined> {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--baseline: cannot read "${file}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  try {
    return { file, entries: parseBaseline(text, file) };
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(`--baseline: ${error.message}`);
    throw error;
  }
}

/** Everything that can be refused is refused before any AWS call. */
async function prepare(raw: RawCollectOptions): Promise<{
  parsed: ParsedCollectOptions;
  baseline: Awaited<ReturnType<typeof readModelBaseline>>;
  sealKey: Buffer | undefined;
  bucketRoleTagKey: string;
}> {
  const parsed = parseCollectOptions(raw, (await resolveProfile(raw.profile)).region);
  const inside = await enclosingBundle(parsed.outDir);
  if (inside)
    throw new UsageError(
      `--out: "${parsed.outDir}" is inside the sealed evidence bundle ${inside}; writing there would break it. Choose a directory outside any bundle.`,
    );
  let sealKey: Buffer | undefined;
  if (parsed.sealKeyFile !== undefined) {
    try {
      sealKey = await readSealKey(parsed.sealKeyFile);
    } catch (error) {
      if (error instanceof SealKeyError) throw new UsageError(`--seal-key: ${error.message}.`);
      throw error;
    }
  }
  const config = await loadConfigFile(parsed.configFile);
  return { parsed, baseline: await readModelBaseline(parsed.baselineFile), sealKey, bucketRoleTagKey: config.parameters.bucketRoleTagKey };
}

/** Aborted on the first SIGINT or at the deadline; a second SIGINT is left to the default handler. */
function stopControl(
  deadlineMs: number | null,
  interrupts: Pick<NodeJS.EventEmitter, 'once' | 'off'>,
): { signal: AbortSignal; interrupted: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
    controller.abort('interrupted by SIGINT');
  };
  interrupts.once('SIGINT', onInterrupt);
  const timer =
    deadlineMs === null
      ? null
      : setTimeout(() => controller.abort(`the --deadline was reached after ${Math.round(deadlineMs / 1000)} s`), deadlineMs);
  return {
    signal: controller.signal,
    interrupted: () => interrupted,
    dispose: () => {
      interrupts.off('SIGINT', onInterrupt);
      if (timer) clearTimeout(timer);
    },
  };
}

export async function collectAction(raw: RawCollectOptions, io: Io, deps: CollectCommandDeps = {}): Promise<number> {
  const { parsed, baseline, sealKey, bucketRoleTagKey } = await prepare(raw);
  const runId = `${parsed.incident}-${randomBytes(3).toString('hex')}`;
  // Loaded once the arguments are checked: the session and the collectors bring every SDK client with them.
  const [{ sessionNameFor }, { openSession }, { runCollection }, { S3Client }] = await Promise.all([
    import('../aws/credentials.js'),
    import('../aws/session.js'),
    import('../collect/collector.js'),
    import('@aws-sdk/client-s3'),
  ]);
  const sessionName = sessionNameFor('collect', runId);
  const session = await openSession(parsed.target, sessionName, deps.factory, { captureRawResponses: true });
  // Refuse an evidence bucket without Object Lock before collecting anything.
  if (parsed.preserveTo) {
    const s3 = session.factory.client(S3Client, {
      credentials: session.chain.base,
      region: parsed.target.homeRegion,
      accountId: session.caller.accountId,
    });
    try {
      await requireObjectLock(s3, parsed.preserveTo.bucket);
    } catch (error) {
      if (error instanceof PreserveRefusedError) throw new UsageError(error.message);
      throw error;
    }
  }
  const regionCount = parsed.target.regions === 'all' ? 17 : parsed.target.regions.length;
  const warning = longWindowWarning(parsed.window, parsed.baselineDays, session.scope.accounts.filter((a) => !a.skippedReason).length, regionCount);
  if (warning) io.stderr.write(`forensight: warning: ${warning}\n`);
  const display = collectProgressDisplay(io);
  const stop = stopControl(parsed.deadlineMs, deps.interrupts ?? process);
  let result: CollectResult;
  try {
    result = await runCollection(session, {
      incident: parsed.incident,
      window: parsed.window,
      sources: parsed.sources,
      filter: parsed.filter,
      outDir: parsed.outDir,
      target: parsed.target,
      sessionName,
      baselineDays: parsed.baselineDays,
      bucketRoleTagKey,
      limits: parsed.limits,
      eventsCopy: parsed.eventsCopy,
      signal: stop.signal,
      ...(sealKey ? { sealKey } : {}),
      ...(baseline ? { baseline } : {}),
      onProgress: (p) => display.update(p),
    });
  } finally {
    stop.dispose();
    display.stop();
  }
  printSummary(result, io);
  recordWritten(result.bundleDir, `evidence bundle, sealed${result.incomplete ? ` as INCOMPLETE: ${result.incomplete}` : ''}`);
  if (parsed.preserveTo && !stop.interrupted()) await preserve(parsed, result, session, sessionName, io);
  io.stdout.write(`Verify with: forensight verify ${result.bundleDir} --expect ${result.manifestSha256}${sealKey ? ' --seal-key <key file>' : ''}\n`);
  // The seal's anchor outside the bundle: whoever keeps this line can detect a rewritten bundle later.
  io.stderr.write(
    `forensight: sealed ${result.bundleId}: manifest.json sha256 ${result.manifestSha256}${result.incomplete ? ` (INCOMPLETE: ${result.incomplete})` : ''}\n`,
  );
  if (stop.interrupted()) return EXIT_INTERRUPTED;
  const collected = result.manifest.scope.accounts.filter((a) => a.status !== 'NOT_COLLECTED').length;
  if (collected === 0) {
    io.stderr.write('forensight: no account could be collected (see the gaps above); the bundle records why.\n');
    return EXIT.nothingScanned;
  }
  return EXIT.ok;
}

function printSummary(result: CollectResult, io: Io): void {
  const m = result.manifest;
  io.stdout.write(`Evidence bundle: ${result.bundleDir}\n`);
  if (result.incomplete) io.stdout.write(`  INCOMPLETE: ${result.incomplete}; what was collected until then is sealed (see the manifest's gaps)\n`);
  io.stdout.write(
    `  ${m.stats.items} items, ${formatBytes(m.stats.bytes)}, ${m.scope.accounts.length} account(s), ${m.stats.apiCalls} API calls, ${(m.stats.durationMs / 1000).toFixed(1)} s\n`,
  );
  io.stdout.write(
    `  CloudTrail: ${result.cloudtrail.files} trail files (${result.cloudtrail.records} records), ${result.cloudtrail.lookupAccountRegions} account-region(s) via LookupEvents; ${result.events.matched} events for analysis\n`,
  );
  if (m.baselineWindow)
    io.stdout.write(`  Baseline lookback ${m.baselineWindow.start} to ${m.baselineWindow.end}: ${m.items.filter((i) => i.baseline).length} items\n`);
  io.stdout.write(`  manifest.json sha256 ${result.manifestSha256}\n`);
  if (result.manifestHmacSha256) io.stdout.write(`  manifest.json HMAC-SHA256 (seal key) ${result.manifestHmacSha256}\n`);
  if (result.tampered > 0)
    io.stdout.write(`  WARNING: ${result.tampered} model artifact(s) differ from the known-good baseline (see analysis/model-artifacts.json)\n`);
  if (m.gaps.length > 0) {
    io.stdout.write(`  ${m.gaps.length} gap(s) recorded in the manifest:\n`);
    for (const g of m.gaps.slice(0, 15)) io.stdout.write(`    - ${sanitizeInline(`${g.accountId}/${g.region} ${g.source}: ${g.reason}`)}\n`);
    if (m.gaps.length > 15) io.stdout.write(`    ... and ${m.gaps.length - 15} more\n`);
  }
}

async function preserve(parsed: ParsedCollectOptions, result: CollectResult, session: Session, sessionName: string, io: Io): Promise<void> {
  const preserved = await preserveBundle({
    bundleDir: result.bundleDir,
    target: parsed.preserveTo!,
    factory: session.factory,
    credentials: session.chain.base,
    accountId: session.caller.accountId,
    homeRegion: parsed.target.homeRegion,
    actor: { tool: 'forensight', toolVersion: TOOL_VERSION, callerArn: session.caller.arn, sessionName, osUser: osUser(), host: hostname() },
    ...(parsed.retentionDays !== undefined ? { retentionDays: parsed.retentionDays } : {}),
  });
  io.stdout.write(
    `Preserved ${preserved.objects.length + 1} objects to ${preserved.uriPrefix} (Object Lock ${preserved.mode} until ${preserved.retainUntil}); custody.jsonl version ${preserved.custodyObject.versionId ?? 'null'}\n`,
  );
  const manifestObject = preserved.objects.find((o) => o.path === MANIFEST_FILE);
  if (manifestObject)
    io.stdout.write(
      `  manifest.json is locked as s3://${parsed.preserveTo!.bucket}/${manifestObject.key} version ${manifestObject.versionId ?? 'null'} with S3 checksum SHA-256 ${manifestObject.checksumSHA256}: the anchor for verify --expect\n`,
    );
}

export function register(program: Command, io: Io): void {
  const cmd = program
    .command('collect')
    .description('collect incident evidence (CloudTrail, Bedrock, SageMaker, S3, flow logs) into a hash-verified bundle with a chain-of-custody log')
    .option('--incident <id>', 'incident id; names the bundle directory')
    .option('--start <iso>', 'window start, ISO-8601 with zone (2026-11-01T00:00Z)')
    .option('--end <iso>', 'window end, ISO-8601 with zone')
    .option('--principal <arn>', 'analyse only events of this IAM/STS principal (everything is still preserved)')
    .option('--access-key-id <key>', 'analyse only events made with this access key id')
    .option('--source-ip <ip>', 'analyse only events from this IP address')
    .option('--ai-only', 'analyse only events of AI services (Bedrock, SageMaker, Q, ...)')
    .option('--sources <list>', `comma-separated: ${SOURCE_NAMES.join(', ')} (default all)`)
    .option('--baseline <file>', 'known-good SHA-256 of model artifacts (JSON or "<sha256>  s3://bucket/key" lines)')
    .option(
      '--baseline-days <n>',
      `lookback before --start that defines normal for analysis (CloudTrail, Bedrock invocation logs, AI-bucket access logs); 0 = none (default ${DEFAULT_BASELINE_DAYS})`,
    )
    .option('--config <file>', 'YAML or JSON config file (collect reads bucketRoleTagKey, as scan does)')
    .option('--events-copy', 'also write analysis/events.jsonl, the parsed CloudTrail records (analyze does not need it)');
  addStreamLimitOptions(cmd)
    .option(
      '--deadline <when>',
      'stop starting new work after this duration (90s, 30m, 2h) or at this ISO time, and seal what was collected as incomplete',
    )
    .option('--seal-key <file>', 'HMAC the sealed manifest with the key in this file (kept outside the bundle); verify --seal-key checks it')
    .option('--out <dir>', 'directory for the bundle (a new sub-directory per run)', '.')
    .option('--preserve-to <s3uri>', 'also upload the bundle to this Object Lock bucket, s3://bucket/prefix')
    .addOption(new Option('--retention-days <n>', 'Object Lock retention for --preserve-to (default: the bucket default, else 365)'));
  addTargetOptions(cmd, DEFAULT_COLLECT_ROLE_NAME).addHelpText(
    'after',
    helpExamples([
      'forensight collect --incident INC-42 --start 2026-11-30T00:00Z --end 2026-12-01T12:00Z',
      'forensight collect --incident INC-42 --start 2026-11-30T00:00Z --end 2026-12-01T12:00Z --org --regions us-east-1,eu-west-1 --preserve-to s3://evidence-locked/cases',
      'forensight collect --incident INC-42 --start 2026-11-30T00:00Z --end 2026-12-01T12:00Z --access-key-id AKIAIOSFODNN7EXAMPLE --deadline 2h --seal-key ~/ir/seal.key',
    ]),
  );
  cmd.action(async (raw: RawCollectOptions) => {
    process.exitCode = await holdExitUntil(collectAction(raw, io));
  });
}
