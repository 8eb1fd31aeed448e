// forensight hunt: find where an actor's events are across the Organization without downloading the trail.
// --print-ddl prints the Athena table over the organization trail (partition projection on account, region,
// day) for the user to create once; otherwise the indicators become one Athena query (or its CloudTrail Lake
// counterpart with --print-lake-sql), and the accounts, regions, days and log files with matches are printed.
import type { Command } from 'commander';
import { ClientFactory } from '../aws/clients.js';
import { baseCredentials } from '../aws/credentials.js';
import { runAthenaHunt, summarize } from '../hunt/athena.js';
import { athenaHuntSql, athenaTableDdl, HuntInputError, lakeHuntSql, type HuntIndicators } from '../hunt/sql.js';
import { EXIT, homeRegionFor, splitList, UsageError, type Io } from './common.js';
import { resolveProfile } from './profile.js';
import { terminalSafeJson } from './terminal.js';

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
    if (o.eventDataStore !== undefined) {
      // CloudTrail Lake: the same search as a Lake query (run it with `aws cloudtrail start-query`).
      io.stdout.write(`${lakeHuntSql(o.eventDataStore, indicators(o))}\n`);
      return EXIT.ok;
    }
    const sql = athenaHuntSql(table, indicators(o));
    if (o.printSql) {
      io.stdout.write(`${sql}\n`);
      return EXIT.ok;
    }
    const region = homeRegionFor({ flag: o.region, profileRegion: (await resolveProfile(o.profile)).region });
    const factory = new ClientFactory(o.endpointUrl ? { endpoint: o.endpointUrl } : {});
    const result = await runAthenaHunt({
      factory,
      credentials: baseCredentials(o.profile),
      region,
      accountId: 'caller',
      sql,
      workGroup: o.workgroup,
      database: o.athenaDatabase,
      ...(o.outputLocation ? { outputLocation: o.outputLocation } : {}),
    });
    io.stdout.write(
      `${terminalSafeJson({ queryId: result.queryId, ...summarize(result), rejectedRows: result.rejectedRows, byFile: result.matches })}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof HuntInputError) throw new UsageError(`hunt: ${error.message}`);
    throw error;
  }
}

export function register(program: Command, io: Io): void {
  program
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
    .option('--event-data-store <id>', 'print the CloudTrail Lake query for this event data store instead')
    .option('--print-sql', 'print the Athena query and stop')
    .option('--print-ddl', 'print the CREATE TABLE for the organization trail (with --trail-location, --org-id, --accounts, --regions)')
    .option('--trail-location <s3uri>', 's3://bucket[/prefix] the organization trail delivers to')
    .option('--org-id <id>', 'Organization id (o-...)')
    .option('--accounts <ids>', 'account ids the table projects')
    .option('--regions <names>', 'regions the table projects')
    .option('--first-day <yyyy/MM/dd>', 'first day the table projects', '2020/01/01')
    .option('--region <name>', "region Athena runs in (default: the profile's region, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1)")
    .option('--profile <name>', 'AWS profile')
    .option('--endpoint-url <url>', 'send every call to this endpoint (an emulator)')
    .action(async (options: RawHuntOptions) => {
      process.exitCode = await huntAction(options, io);
    });
}
