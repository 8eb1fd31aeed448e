// forensight hunt: find where an actor's events are across the Organization without downloading the trail.
// --print-ddl prints the Athena table over the organization trail (partition projection on account, region,
// day) for the user to create once; otherwise the indicators become one Athena query (or, with
// --event-data-store, a CloudTrail Lake query), and the accounts, regions, days and log files with matches are
// printed. --out collects what matched into a sealed bundle: the log files (Athena) or the events (Lake).
import { resolve } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Command } from 'commander';
import { ClientFactory, type Credentials } from '../aws/clients.js';
import { baseCredentials } from '../aws/credentials.js';
import { INCIDENT_ID } from '../collect/paths.js';
import type { StreamLimits } from '../collect/parsers/stream-reader.js';
import { readSealKey, SealKeyError } from '../collect/seal.js';
import { runAthenaHunt } from '../hunt/athena.js';
import { collectAthenaFiles, collectLakePages, writeHuntBundle, type HuntBundle, type HuntVia } from '../hunt/collect.js';
import { runLakeHunt, runLakeQuery } from '../hunt/lake.js';
import { HuntQueryError, summarize } from '../hunt/query.js';
import { athenaHuntSql, athenaTableDdl, HuntInputError, lakeEventsSql, lakeHuntSql, type HuntIndicators } from '../hunt/sql.js';
import { addStreamLimitOptions, enclosingBundle, parseStreamLimits } from './collect.js';
import { EXIT, helpExamples, homeRegionFor, NothingScannedError, splitList, UsageError, type Io } from './common.js';
import { resolveProfile } from './profile.js';
import { sanitizeInline, terminalSafeJson } from './terminal.js';

export interface RawHuntOptions {
  printDdl?: boolean;
  printSql?: boolean;
  eventDataStore?: string;
  trailLocation?: string;
  orgId?: string;
  accounts?: string;
  regions?: string;
  firstDay?: string;
  athenaDatabase: string;
  athenaTable: string;
  workgroup: string;
  outputLocation?: string;
  accessKeyId?: string;
  principal?: string;
  sourceIp?: string;
  eventName?: string;
  start?: string;
  end?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  out?: string;
  incident?: string;
  sealKey?: string;
  maxExpandedBytes?: string;
  maxRecordBytes?: string;
}

function time(flag: string, value: string | undefined): Date {
  const d = value === undefined ? new Date(NaN) : new Date(value);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value ?? ''))
    throw new UsageError(`${flag}: ${JSON.stringify(value ?? '')} is not an ISO 8601 time (e.g. 2026-11-30T00:00:00Z).`);
  return d;
}

function indicators(o: RawHuntOptions): HuntIndicators {
  return {
    accessKeyIds: splitList(o.accessKeyId),
    principals: splitList(o.principal),
    sourceIps: splitList(o.sourceIp),
    eventNames: splitList(o.eventName),
    start: time('--start', o.start),
    end: time('--end', o.end),
  };
}

/** Where the hunt's bundle goes: checked before any query runs, so a bad --out costs nothing. */
async function bundleTarget(
  o: RawHuntOptions,
): Promise<{ outDir: string; incident: string; sealKey: Buffer | undefined; limits: StreamLimits } | null> {
  if (o.out === undefined) {
    if (o.incident !== undefined) throw new UsageError('--incident only applies with --out: give --out DIR to collect the matches into a bundle.');
    if (o.maxExpandedBytes !== undefined || o.maxRecordBytes !== undefined)
      throw new UsageError('--max-expanded-bytes and --max-record-bytes only apply with --out: they limit the reading of the log files it copies.');
    return null;
  }
  if (o.incident === undefined) throw new UsageError('--out needs --incident: an incident id such as INC-42 (it names the bundle directory).');
  if (!INCIDENT_ID.test(o.incident) || o.incident.includes('..'))
    throw new UsageError(
      `--incident: "${o.incident}" must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (it becomes a directory name).`,
    );
  const outDir = resolve(o.out);
  const inside = await enclosingBundle(outDir);
  if (inside)
    throw new UsageError(
      `--out: ${outDir} is inside the sealed bundle ${inside}; writing there would break it. Choose a directory outside any bundle.`,
    );
  let sealKey: Buffer | undefined;
  if (o.sealKey !== undefined) {
    try {
      sealKey = await readSealKey(o.sealKey);
    } catch (error) {
      if (error instanceof SealKeyError) throw new UsageError(`--seal-key: ${error.message}`);
      throw error;
    }
  }
  return { outDir, incident: o.incident, sealKey, limits: parseStreamLimits(o) };
}

async function callerOf(factory: ClientFactory, credentials: Credentials, region: string): Promise<{ arn: string; accountId: string }> {
  const me = await factory.client(STSClient, { credentials, region, accountId: 'caller' }).send(new GetCallerIdentityCommand({}));
  return { arn: me.Arn ?? 'unknown', accountId: me.Account ?? 'unknown' };
}

function printBundle(bundle: HuntBundle, io: Io): void {
  io.stdout.write(`Collected ${bundle.files} item(s) into ${sanitizeInline(bundle.bundleDir)} (${bundle.manifest.gaps.length} gap(s)).\n`);
  io.stdout.write(`Verify with: forensight verify ${sanitizeInline(bundle.bundleDir)} --expect ${bundle.manifestSha256}\n`);
  io.stderr.write(`forensight: sealed ${sanitizeInline(bundle.bundleId)}: manifest.json sha256 ${bundle.manifestSha256}\n`);
}

export async function huntAction(o: RawHuntOptions, io: Io): Promise<number> {
  try {
    const table = { database: o.athenaDatabase, table: o.athenaTable };
    if (o.printDdl) {
      const ddl = athenaTableDdl({
        ...table,
        trailLocation: o.trailLocation ?? '',
        organizationId: o.orgId ?? '',
        accounts: splitList(o.accounts),
        regions: splitList(o.regions),
        firstDay: o.firstDay ?? '2020/01/01',
      });
      io.stdout.write(`${ddl};\n`);
      return EXIT.ok;
    }
    const wanted = indicators(o);
    const via: HuntVia = o.eventDataStore !== undefined ? 'lake' : 'athena';
    const sql = via === 'lake' ? lakeHuntSql(o.eventDataStore!, wanted) : athenaHuntSql(table, wanted);
    if (o.printSql) {
      io.stdout.write(`${sql}\n`);
      return EXIT.ok;
    }
    const target = await bundleTarget(o);
    const region = homeRegionFor({ flag: o.region, profileRegion: (await resolveProfile(o.profile)).region });
    const factory = new ClientFactory(o.endpointUrl ? { endpoint: o.endpointUrl } : {});
    const credentials = baseCredentials(o.profile);
    const run = { factory, credentials, region, accountId: 'caller' };
    const result =
      via === 'lake'
        ? await runLakeHunt(run, sql)
        : await runAthenaHunt({
            ...run,
            sql,
            workGroup: o.workgroup,
            database: o.athenaDatabase,
            ...(o.outputLocation ? { outputLocation: o.outputLocation } : {}),
          });
    io.stdout.write(
      `${terminalSafeJson({ via, queryId: result.queryId, ...summarize(result), rejectedRows: result.rejectedRows, byFile: result.matches })}\n`,
    );
    if (!target) return EXIT.ok;
    const caller = await callerOf(factory, credentials, region);
    const bundleOptions = {
      factory,
      credentials,
      region,
      caller,
      outDir: target.outDir,
      incident: target.incident,
      indicators: wanted,
      via,
      sql,
      result,
      ...(target.sealKey ? { sealKey: target.sealKey } : {}),
      limits: target.limits,
    };
    const bundle = await writeHuntBundle(bundleOptions, async (writer) => {
      if (via === 'athena') return collectAthenaFiles(writer, bundleOptions);
      const events = await runLakeQuery(run, lakeEventsSql(o.eventDataStore!, wanted));
      await writer.note('hunt-query', {
        via,
        queryId: events.queryId,
        region,
        sql: lakeEventsSql(o.eventDataStore!, wanted),
        purpose: 'the matching events themselves (eventJson)',
      });
      return collectLakePages(writer, bundleOptions, events.queryId, () => events.pages());
    });
    printBundle(bundle, io);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof HuntInputError) throw new UsageError(`hunt: ${error.message}`);
    if (error instanceof HuntQueryError) throw new NothingScannedError(`hunt: ${error.message}`);
    throw error;
  }
}

export function register(program: Command, io: Io): void {
  const cmd = program
    .command('hunt')
    .description(
      'find the accounts, regions, days and log files where an access key, principal or IP appears, by querying the organization trail in place (Athena) or CloudTrail Lake',
    )
    .option('--access-key-id <ids>', 'access key ids (comma-separated)')
    .option('--principal <arns>', 'IAM or STS principal ARNs (comma-separated); also matches sessions issued by a role')
    .option('--source-ip <ips>', 'source IP addresses (comma-separated)')
    .option('--event-name <names>', 'only these API operations (comma-separated)')
    .option('--start <iso>', 'window start (ISO 8601)')
    .option('--end <iso>', 'window end (ISO 8601)')
    .option('--athena-database <name>', 'Glue database of the trail table', 'forensight')
    .option('--athena-table <name>', 'trail table (see --print-ddl)', 'cloudtrail_org')
    .option('--workgroup <name>', 'Athena workgroup', 'primary')
    .option('--output-location <s3uri>', 'Athena query result location, when the workgroup sets none')
    .option('--event-data-store <id>', 'search this CloudTrail Lake event data store instead of the Athena table')
    .option('--print-sql', 'print the query (Athena, or Lake with --event-data-store) and stop')
    .option('--out <dir>', 'collect what matched into a sealed evidence bundle under this directory (with --incident)')
    .option('--incident <id>', 'incident id naming the bundle (with --out)')
    .option('--seal-key <file>', 'HMAC key file: the manifest is also signed with it')
    .option('--print-ddl', 'print the CREATE TABLE for the organization trail (with --trail-location, --org-id, --accounts, --regions)')
    .option('--trail-location <s3uri>', 's3://bucket[/prefix] the organization trail delivers to')
    .option('--org-id <id>', 'Organization id (o-...)')
    .option('--accounts <ids>', 'account ids the table projects')
    .option('--regions <names>', 'regions the table projects')
    .option('--first-day <yyyy/MM/dd>', 'first day the table projects', '2020/01/01')
    .option('--region <name>', "region Athena runs in (default: the profile's region, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1)")
    .option('--profile <name>', 'AWS profile')
    .option('--endpoint-url <url>', 'send every call to this endpoint (an emulator)');
  // With --out, each copied log file is read under collect's limits.
  addStreamLimitOptions(cmd)
    .addHelpText(
      'after',
      helpExamples([
        'forensight hunt --print-ddl --trail-location s3://org-trail/AWSLogs --org-id o-a1b2c3d4e5 --accounts 111111111111,222222222222 --regions us-east-1,eu-west-1',
        'forensight hunt --access-key-id AKIAIOSFODNN7EXAMPLE --start 2026-11-30T00:00:00Z --end 2026-12-01T12:00:00Z --output-location s3://athena-results/forensight/',
        'forensight hunt --source-ip 203.0.113.7 --start 2026-11-30T00:00:00Z --end 2026-12-01T12:00:00Z --event-data-store eds-1234 --out ./evidence --incident INC-42',
      ]),
    )
    .action(async (options: RawHuntOptions) => {
      process.exitCode = await huntAction(options, io);
    });
}
