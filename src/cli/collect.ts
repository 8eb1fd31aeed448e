// forensight collect: incident evidence from every affected account into a verifiable bundle.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import cliProgress from 'cli-progress';
import { Option, type Command } from 'commander';
import type { ClientFactory } from '../aws/clients.js';
import { sessionNameFor } from '../aws/credentials.js';
import { openSession } from '../aws/session.js';
import { BaselineError, parseBaseline, type BaselineEntry } from '../collect/baseline.js';
import { runCollection, type CollectResult } from '../collect/collector.js';
import type { EventFilter } from '../collect/filters.js';
import { SOURCE_NAMES, type SourceName } from '../collect/manifest.js';
import { INCIDENT_ID } from '../collect/paths.js';
import { parsePreserveUri, preserveBundle, PreserveRefusedError, requireObjectLock, type PreserveTarget } from '../collect/preserve.js';
import type { CollectProgress } from '../collect/progress.js';
import { DEFAULT_COLLECT_ROLE_NAME } from '../collect/role-template.js';
import { TOOL_VERSION } from '../version.js';
import { hostname, userInfo } from 'node:os';
import { addTargetOptions, EXIT, parsePositiveInt, parseTargetOptions, splitList, UsageError, type Io, type RawTargetOptions } from './common.js';
import { sanitizeInline } from './terminal.js';
import type { TargetOptions } from '../aws/session.js';

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
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:(user|role|assumed-role|root|federated-user)(\/[\w+=,.@/-]*)?$/;
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
const SOURCE_ALIASES: Record<string, SourceName[]> = { s3: ['s3-access-logs', 'model-artifacts'], all: [...SOURCE_NAMES] };

export function parseIsoTime(flag: string, value: string | undefined): Date {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required: an ISO-8601 UTC time such as 2026-11-01T00:00Z.`);
  const m = ISO_TIME.exec(value.trim());
  const t = m ? new Date(value.trim()) : null;
  const fieldsValid = m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= 31 && Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6] ?? 0) <= 59;
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

export function parseCollectOptions(raw: RawCollectOptions): ParsedCollectOptions {
  if (raw.incident === undefined) throw new UsageError('--incident is required: an incident id such as INC-42 (it names the bundle directory).');
  if (!INCIDENT_ID.test(raw.incident) || raw.incident.includes('..')) {
    throw new UsageError(`--incident: "${raw.incident}" must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (it becomes a directory name).`);
  }
  const start = parseIsoTime('--start', raw.start);
  const end = parseIsoTime('--end', raw.end);
  if (start.getTime() >= end.getTime()) throw new UsageError(`--start (${start.toISOString()}) must be before --end (${end.toISOString()}).`);
  const filter: EventFilter = {};
  if (raw.principal !== undefined) {
    if (!PRINCIPAL_ARN.test(raw.principal)) throw new UsageError(`--principal: "${raw.principal}" is not an IAM or STS principal ARN (arn:aws:iam::123456789012:user/Name, :role/Name or arn:aws:sts::123456789012:assumed-role/Name/Session).`);
    filter.principal = raw.principal;
  }
  if (raw.accessKeyId !== undefined) {
    if (!ACCESS_KEY_ID.test(raw.accessKeyId)) throw new UsageError(`--access-key-id: "${raw.accessKeyId}" is not an access key id (AKIA or ASIA followed by 16 capitals or digits). Never pass a secret key.`);
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
  const target = parseTargetOptions(raw);
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
  };
}

export interface CollectCommandDeps {
  factory?: ClientFactory;
}

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
        stream: io.tty ?? (io.stderr as NodeJS.WriteStream),
        format: ' {bar} {accounts} accounts | {value}/{total} sources | {items} items {bytes} | {message}',
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const payload = { accounts: `${p.accountsDone}/${p.accountsTotal}`, items: p.items, bytes: formatBytes(p.bytes), message: sanitizeInline(p.message ?? p.phase).slice(0, 40) };
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

export async function collectAction(raw: RawCollectOptions, io: Io, deps: CollectCommandDeps = {}): Promise<number> {
  const parsed = parseCollectOptions(raw);
  let baseline: { file: string; entries: BaselineEntry[] } | undefined;
  if (parsed.baselineFile !== undefined) {
    let text: string;
    try {
      text = await readFile(parsed.baselineFile, 'utf8');
    } catch (error) {
      throw new UsageError(`--baseline: cannot read "${parsed.baselineFile}" (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
    }
    try {
      baseline = { file: parsed.baselineFile, entries: parseBaseline(text, parsed.baselineFile) };
    } catch (error) {
      if (error instanceof BaselineError) throw new UsageError(`--baseline: ${error.message}`);
      throw error;
    }
  }
  const runId = `${parsed.incident}-${randomBytes(3).toString('hex')}`;
  const sessionName = sessionNameFor('collect', runId);
  const session = await openSession(parsed.target, sessionName, deps.factory, { captureRawResponses: true });
  // Refuse an evidence bucket without Object Lock before collecting anything.
  if (parsed.preserveTo) {
    const s3 = session.factory.client(S3Client, { credentials: session.chain.base, region: parsed.target.homeRegion, accountId: session.caller.accountId });
    try {
      await requireObjectLock(s3, parsed.preserveTo.bucket);
    } catch (error) {
      if (error instanceof PreserveRefusedError) throw new UsageError(error.message);
      throw error;
    }
  }
  const display = collectProgressDisplay(io);
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
      ...(baseline ? { baseline } : {}),
      onProgress: (p) => display.update(p),
    });
  } finally {
    display.stop();
  }
  const m = result.manifest;
  io.stdout.write(`Evidence bundle: ${result.bundleDir}\n`);
  io.stdout.write(`  ${m.stats.items} items, ${formatBytes(m.stats.bytes)}, ${m.scope.accounts.length} account(s), ${m.stats.apiCalls} API calls, ${(m.stats.durationMs / 1000).toFixed(1)} s\n`);
  io.stdout.write(`  CloudTrail: ${result.cloudtrail.files} trail files (${result.cloudtrail.records} records), ${result.cloudtrail.lookupAccountRegions} account-region(s) via LookupEvents; ${result.events.matched} events for analysis\n`);
  io.stdout.write(`  manifest.json sha256 ${result.manifestSha256}\n`);
  if (result.tampered > 0) io.stdout.write(`  WARNING: ${result.tampered} model artifact(s) differ from the known-good baseline (see analysis/model-artifacts.json)\n`);
  if (m.gaps.length > 0) {
    io.stdout.write(`  ${m.gaps.length} gap(s) recorded in the manifest:\n`);
    for (const g of m.gaps.slice(0, 15)) io.stdout.write(`    - ${sanitizeInline(`${g.accountId}/${g.region} ${g.source}: ${g.reason}`)}\n`);
    if (m.gaps.length > 15) io.stdout.write(`    ... and ${m.gaps.length - 15} more\n`);
  }
  if (parsed.preserveTo) {
    const preserved = await preserveBundle({
      bundleDir: result.bundleDir,
      target: parsed.preserveTo,
      factory: session.factory,
      credentials: session.chain.base,
      accountId: session.caller.accountId,
      homeRegion: parsed.target.homeRegion,
      actor: { tool: 'forensight', toolVersion: TOOL_VERSION, callerArn: session.caller.arn, sessionName, osUser: osUser(), host: hostname() },
      ...(parsed.retentionDays !== undefined ? { retentionDays: parsed.retentionDays } : {}),
    });
    io.stdout.write(`Preserved ${preserved.objects.length + 1} objects to ${preserved.uriPrefix} (Object Lock ${preserved.mode} until ${preserved.retainUntil}); custody.jsonl version ${preserved.custodyObject.versionId ?? 'null'}\n`);
  }
  io.stdout.write(`Verify with: forensight verify ${result.bundleDir}\n`);
  const collected = m.scope.accounts.filter((a) => a.status !== 'NOT_COLLECTED').length;
  if (collected === 0) {
    io.stderr.write('forensight: no account could be collected (see the gaps above); the bundle records why.\n');
    return EXIT.nothingScanned;
  }
  return EXIT.ok;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
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
    .option('--out <dir>', 'directory for the bundle (a new sub-directory per run)', '.')
    .option('--preserve-to <s3uri>', 'also upload the bundle to this Object Lock bucket, s3://bucket/prefix')
    .addOption(new Option('--retention-days <n>', 'Object Lock retention for --preserve-to (default: the bucket default, else 365)'));
  addTargetOptions(cmd, DEFAULT_COLLECT_ROLE_NAME);
  cmd.action(async (raw: RawCollectOptions) => {
    process.exitCode = await collectAction(raw, io);
  });
}
