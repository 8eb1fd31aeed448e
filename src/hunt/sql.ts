// The hunt's SQL, built from indicators an attacker may have chosen (a key id, a principal, a source IP).
// Athena takes no bind parameters in DDL and the Lake API none at all, so every value is first validated
// against the shape AWS gives it (an access key id, an IAM/STS ARN, an IP address, an API operation name, a
// UTC time) and only then quoted with the one literal function below, which also doubles any quote. A value
// that is not of its shape is rejected with its flag named, never escaped into the query.
export class HuntInputError extends Error {}

export interface HuntIndicators {
  accessKeyIds: string[];
  principals: string[];
  sourceIps: string[];
  eventNames: string[];
  start: Date;
  end: Date;
}

export interface AthenaTable {
  database: string;
  table: string;
}

const SHAPES = {
  '--access-key-id': /^(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,124}$/,
  '--principal': /^arn:aws(-[a-z]+)*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/-]{1,512}$/,
  '--source-ip': /^((25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}|[0-9a-fA-F:]{2,39}|[a-z0-9.-]{1,253}\.amazonaws\.com)$/,
  '--event-name': /^[A-Za-z][A-Za-z0-9]{1,127}$/,
} as const;

const IDENTIFIER = /^[a-z0-9_]{1,255}$/;

/** A SQL string literal of an already validated value (quotes doubled as defence in depth). */
export function literal(value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new HuntInputError(`control characters are not allowed in a query value: ${JSON.stringify(value)}`);
  return `'${value.replace(/'/g, "''")}'`;
}

export function validated(flag: keyof typeof SHAPES, values: string[]): string[] {
  for (const v of values) {
    if (!SHAPES[flag].test(v))
      throw new HuntInputError(
        `${flag}: ${JSON.stringify(v)} is not a valid ${flag.slice(2).replace(/-/g, ' ')}; give the value exactly as CloudTrail records it.`,
      );
  }
  return values;
}

export function identifier(flag: string, value: string): string {
  if (!IDENTIFIER.test(value))
    throw new HuntInputError(`${flag}: ${JSON.stringify(value)} is not a Glue name (lower-case letters, digits, underscores).`);
  return value;
}

/** The indicators as checked lists; at least one of key, principal or IP, and a window of at most 366 days. */
export function checkIndicators(i: HuntIndicators): HuntIndicators {
  validated('--access-key-id', i.accessKeyIds);
  validated('--principal', i.principals);
  validated('--source-ip', i.sourceIps);
  validated('--event-name', i.eventNames);
  if (i.accessKeyIds.length + i.principals.length + i.sourceIps.length === 0)
    throw new HuntInputError('give at least one of --access-key-id, --principal or --source-ip: a hunt without an actor would match every event.');
  if (!(i.start.getTime() < i.end.getTime())) throw new HuntInputError('--start must be before --end.');
  if (i.end.getTime() - i.start.getTime() > 366 * 86_400_000)
    throw new HuntInputError('--start to --end spans more than 366 days; narrow the window.');
  return i;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const day = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '/');
const inList = (column: string, values: string[]) => `${column} IN (${values.map(literal).join(', ')})`;

function actorClause(i: HuntIndicators, columns: { key: string; arn: string; issuer: string; ip: string }): string {
  const parts: string[] = [];
  if (i.accessKeyIds.length > 0) parts.push(inList(columns.key, i.accessKeyIds));
  if (i.principals.length > 0) parts.push(`${inList(columns.arn, i.principals)} OR ${inList(columns.issuer, i.principals)}`);
  if (i.sourceIps.length > 0) parts.push(inList(columns.ip, i.sourceIps));
  return parts.join(' OR ');
}

/**
 * Athena: one row per matching log file with its account, region and day (the partitions) and the match
 * count. The day partitions bound what Athena reads; eventTime bounds the matches inside those days.
 */
export function athenaHuntSql(table: AthenaTable, raw: HuntIndicators): string {
  const i = checkIndicators(raw);
  const where = [
    `day BETWEEN ${literal(day(i.start))} AND ${literal(day(i.end))}`,
    `eventtime >= ${literal(iso(i.start))}`,
    `eventtime < ${literal(iso(i.end))}`,
    `(${actorClause(i, { key: 'useridentity.accesskeyid', arn: 'useridentity.arn', issuer: 'useridentity.sessioncontext.sessionissuer.arn', ip: 'sourceipaddress' })})`,
  ];
  if (i.eventNames.length > 0) where.push(inList('eventname', i.eventNames));
  return [
    `SELECT "$path" AS path, account, region, day, count(*) AS matches`,
    `FROM "${identifier('--athena-database', table.database)}"."${identifier('--athena-table', table.table)}"`,
    `WHERE ${where.join('\n  AND ')}`,
    'GROUP BY "$path", account, region, day',
    'ORDER BY account, region, day, path',
  ].join('\n');
}

const EVENT_DATA_STORE_ID = /^[A-Za-z0-9-]{1,256}$/;

function lakeWhere(eventDataStoreId: string, raw: HuntIndicators): string {
  if (!EVENT_DATA_STORE_ID.test(eventDataStoreId))
    throw new HuntInputError(`--event-data-store: ${JSON.stringify(eventDataStoreId)} is not an event data store id (the last part of its ARN).`);
  const i = checkIndicators(raw);
  const lakeTime = (d: Date) => literal(iso(d).replace('T', ' ').replace('Z', ''));
  const where = [
    `eventTime >= ${lakeTime(i.start)}`,
    `eventTime < ${lakeTime(i.end)}`,
    `(${actorClause(i, { key: 'userIdentity.accessKeyId', arn: 'userIdentity.arn', issuer: 'userIdentity.sessionContext.sessionIssuer.arn', ip: 'sourceIPAddress' })})`,
  ];
  if (i.eventNames.length > 0) where.push(inList('eventName', i.eventNames));
  return `WHERE ${where.join('\n  AND ')}`;
}

/** CloudTrail Lake: where the actor's events are (account, region, day and count) on an event data store. */
export function lakeHuntSql(eventDataStoreId: string, raw: HuntIndicators): string {
  const where = lakeWhere(eventDataStoreId, raw);
  return [
    'SELECT recipientAccountId AS account, awsRegion AS region, substr(CAST(eventTime AS varchar), 1, 10) AS day, count(*) AS matches',
    `FROM ${eventDataStoreId}`,
    where,
    'GROUP BY recipientAccountId, awsRegion, substr(CAST(eventTime AS varchar), 1, 10)',
    'ORDER BY account, region, day',
  ].join('\n');
}

/**
 * CloudTrail Lake: the matching events themselves, each as the JSON CloudTrail recorded (`eventJson`), so the
 * hunt's bundle holds the events and not only where they are. Lake keeps events, not log files.
 */
export function lakeEventsSql(eventDataStoreId: string, raw: HuntIndicators): string {
  return [`SELECT eventJson FROM ${eventDataStoreId}`, lakeWhere(eventDataStoreId, raw), 'ORDER BY eventTime, eventID'].join('\n');
}

export interface DdlOptions extends AthenaTable {
  /** s3://bucket/prefix of the organization trail (without AWSLogs/). */
  trailLocation: string;
  organizationId: string;
  accounts: string[];
  regions: string[];
  /** First day the projection covers, yyyy/MM/dd. */
  firstDay: string;
}

/**
 * The table the user creates once: CloudTrail's own SerDe over the organization trail's prefix, with partition
 * projection on account, region and day, so no crawler or MSCK REPAIR is needed and a query reads only the
 * partitions its WHERE names.
 */
export function athenaTableDdl(o: DdlOptions): string {
  const loc = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/[A-Za-z0-9!_.*()/-]*)?$/.exec(o.trailLocation.replace(/\/+$/, ''));
  if (!loc) throw new HuntInputError(`--trail-location: ${JSON.stringify(o.trailLocation)} is not s3://bucket[/prefix] of the organization trail.`);
  if (!/^o-[a-z0-9]{10,32}$/.test(o.organizationId))
    throw new HuntInputError(`--org-id: ${JSON.stringify(o.organizationId)} is not an Organization id (o-...).`);
  for (const a of o.accounts) if (!/^\d{12}$/.test(a)) throw new HuntInputError(`--accounts: ${JSON.stringify(a)} is not a 12-digit account id.`);
  for (const r of o.regions)
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(r)) throw new HuntInputError(`--regions: ${JSON.stringify(r)} is not a region name.`);
  if (o.accounts.length === 0 || o.regions.length === 0)
    throw new HuntInputError('--print-ddl needs --accounts and --regions: partition projection enumerates them.');
  if (!/^\d{4}\/\d{2}\/\d{2}$/.test(o.firstDay)) throw new HuntInputError(`first day ${JSON.stringify(o.firstDay)} is not yyyy/MM/dd.`);
  const base = `s3://${loc[1]}${loc[2] ?? ''}/AWSLogs/${o.organizationId}`;
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS \`${identifier('--athena-database', o.database)}\`.\`${identifier('--athena-table', o.table)}\` (`,
    '  eventversion STRING,',
    '  useridentity STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING, accesskeyid: STRING, username: STRING,',
    '    sessioncontext: STRUCT<attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>, sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>, sourceidentity: STRING>>,',
    '  eventtime STRING, eventsource STRING, eventname STRING, awsregion STRING, sourceipaddress STRING, useragent STRING,',
    '  errorcode STRING, errormessage STRING, requestparameters STRING, responseelements STRING, additionaleventdata STRING,',
    '  requestid STRING, eventid STRING, readonly STRING, resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,',
    '  eventtype STRING, apiversion STRING, recipientaccountid STRING, serviceeventdetails STRING, sharedeventid STRING,',
    '  vpcendpointid STRING, eventcategory STRING, tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>',
    ')',
    'PARTITIONED BY (account STRING, region STRING, day STRING)',
    "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'",
    "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'",
    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
    `LOCATION ${literal(base)}`,
    'TBLPROPERTIES (',
    "  'projection.enabled' = 'true',",
    `  'projection.account.type' = 'enum', 'projection.account.values' = ${literal(o.accounts.join(','))},`,
    `  'projection.region.type' = 'enum', 'projection.region.values' = ${literal(o.regions.join(','))},`,
    `  'projection.day.type' = 'date', 'projection.day.range' = ${literal(`${o.firstDay},NOW`)}, 'projection.day.format' = 'yyyy/MM/dd',`,
    "  'projection.day.interval' = '1', 'projection.day.interval.unit' = 'DAYS',",
    `  'storage.location.template' = ${literal(`${base}/\${account}/CloudTrail/\${region}/\${day}`)}`,
    ')',
  ].join('\n');
}
