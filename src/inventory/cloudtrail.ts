// CloudTrail: the account's trails relevant to the scanned regions (listed once per account), with status and
// selectors read once per trail in its home region; CloudTrail Lake event data stores.
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventDataStoreCommand,
  GetEventSelectorsCommand,
  ListEventDataStoresCommand,
  ListTrailsCommand,
  GetTrailStatusCommand,
  type AdvancedEventSelector as SdkAdvancedEventSelector,
  type EventSelector as SdkEventSelector,
  type GetEventDataStoreCommandOutput,
  type GetEventSelectorsCommandOutput,
  type GetTrailStatusCommandOutput,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import type { ClientFactory, Credentials } from '../aws/clients.js';
import { describeError, errorCode } from '../aws/errors.js';
import {
  seen,
  unseen,
  type AdvancedEventSelector,
  type AdvancedFieldSelector,
  type ClassicEventSelector,
  type EventDataStoreInfo,
  type Observed,
  type TrailInfo,
  type TrailSelectors,
} from '../model/inventory.js';
import { accountOfArn } from '../model/arn.js';
import { attempt, clientFor, limiter, paginate } from './util.js';
import type { IamAction } from '../model/iam.js';

/** The IAM actions these reads need (the role template is built from such declarations). */
export const IAM_ACTIONS: readonly IamAction[] = [
  'cloudtrail:ListTrails',
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:GetEventSelectors',
  'cloudtrail:ListEventDataStores',
  'cloudtrail:GetEventDataStore',
];

export interface TrailsContext {
  factory: ClientFactory;
  credentials: Credentials;
  accountId: string;
  /** Regions to call DescribeTrails in; each returns the multi-region trails plus that region's own trails. */
  regions: string[];
  /** Keep only trails owned by this account (from the trail ARN); undefined keeps every trail seen. */
  ownerAccountId?: string;
}

// ---------- mappers (SDK -> Inventory) ----------

export function mapClassicSelector(s: SdkEventSelector): ClassicEventSelector {
  const out: ClassicEventSelector = {};
  if (s.ReadWriteType) out.readWriteType = s.ReadWriteType;
  if (s.IncludeManagementEvents !== undefined) out.includeManagementEvents = s.IncludeManagementEvents;
  out.dataResources = (s.DataResources ?? []).map((d) => ({ type: String(d.Type ?? ''), values: [...(d.Values ?? [])] }));
  return out;
}

export function mapAdvancedSelector(s: SdkAdvancedEventSelector): AdvancedEventSelector {
  return {
    ...(s.Name ? { name: s.Name } : {}),
    fieldSelectors: (s.FieldSelectors ?? []).map((f) => {
      const out: AdvancedFieldSelector = { field: String(f.Field) };
      if (f.Equals?.length) out.equals = [...f.Equals];
      if (f.StartsWith?.length) out.startsWith = [...f.StartsWith];
      if (f.EndsWith?.length) out.endsWith = [...f.EndsWith];
      if (f.NotEquals?.length) out.notEquals = [...f.NotEquals];
      if (f.NotStartsWith?.length) out.notStartsWith = [...f.NotStartsWith];
      if (f.NotEndsWith?.length) out.notEndsWith = [...f.NotEndsWith];
      return out;
    }),
  };
}

export function mapSelectors(out: Pick<GetEventSelectorsCommandOutput, 'EventSelectors' | 'AdvancedEventSelectors'>): TrailSelectors {
  return {
    classic: (out.EventSelectors ?? []).map(mapClassicSelector),
    advanced: (out.AdvancedEventSelectors ?? []).map(mapAdvancedSelector),
  };
}

export function mapTrailStatus(out: Pick<GetTrailStatusCommandOutput, 'IsLogging' | 'LatestDeliveryError' | 'LatestDigestDeliveryError'>): {
  isLogging: boolean;
  latestDeliveryError: string | null;
  latestDigestDeliveryError: string | null;
} {
  return {
    isLogging: out.IsLogging === true,
    latestDeliveryError: out.LatestDeliveryError || null,
    latestDigestDeliveryError: out.LatestDigestDeliveryError || null,
  };
}

/** Home region of a trail: HomeRegion, else the region field of its ARN. */
export function homeRegionOf(trail: Trail): string {
  return trail.HomeRegion || String(trail.TrailARN ?? '').split(':')[3] || '';
}

export function mapTrail(trail: Trail, status: TrailInfo['status'], selectors: TrailInfo['selectors']): TrailInfo {
  const arn = String(trail.TrailARN);
  return {
    arn,
    name: String(trail.Name ?? arn.split('/').pop()),
    homeRegion: homeRegionOf(trail),
    ownerAccountId: accountOfArn(arn),
    isMultiRegion: trail.IsMultiRegionTrail === true,
    isOrganizationTrail: trail.IsOrganizationTrail === true,
    logFileValidationEnabled: trail.LogFileValidationEnabled === true,
    s3BucketName: trail.S3BucketName || null,
    s3KeyPrefix: trail.S3KeyPrefix || null,
    cloudWatchLogGroupArn: trail.CloudWatchLogsLogGroupArn || null,
    kmsKeyId: trail.KmsKeyId || null,
    status,
    selectors,
  };
}

// ---------- calls ----------

/**
/**
 * Reads a list in every region, strictly: one region whose read fails makes the whole answer unseen (naming the
 * regions), because an item missing from the list could turn a check into a false PASS or FAIL.
 */
async function readInEveryRegion<T>(
  regions: readonly string[],
  what: string,
  action: string,
  read: (region: string) => Promise<T[]>,
): Promise<Observed<{ region: string; items: T[] }[]>> {
  const distinct = [...new Set(regions)];
  if (distinct.length === 0) return unseen(`No region to read ${what} in`);
  const perRegion = await Promise.all(
    distinct.map(async (region) => {
      try {
        return { region, ok: true as const, items: await read(region) };
      } catch (error) {
        return { region, ok: false as const, error };
      }
    }),
  );
  const failed = perRegion.filter((r) => !r.ok);
  if (failed.length > 0) {
    const first = failed[0] as { region: string; error: unknown };
    const where = failed.map((f) => f.region).join(', ');
    const name = action.split(':')[1];
    return unseen(
      `${what[0]?.toUpperCase()}${what.slice(1)} not read: ${name} failed in ${where} (${describeError(first.error, action)})`,
      errorCode(first.error),
    );
  }
  return seen(perRegion.flatMap((r) => (r.ok ? [{ region: r.region, items: r.items }] : [])));
}

/**
 * Trails of the account relevant to `regions` (multi-region trails, and single-region trails homed in one of
 * them): ListTrails once (it lists the account's trails of every region, with their home region), then
 * DescribeTrails once per home region that holds one of them, then GetTrailStatus and GetEventSelectors once
 * per trail in its home region. An account without trails of its own costs one call, not one per region.
 *
 * Strict on failure: if listing or describing fails, the whole result is unseen, because a trail missing from
 * the list could turn a check into a false PASS or FAIL.
 */
export async function collectTrails(ctx: TrailsContext): Promise<Observed<TrailInfo[]>> {
  const base = { factory: ctx.factory, credentials: ctx.credentials, accountId: ctx.accountId };
  const regions = [...new Set(ctx.regions)];
  if (regions.length === 0) return unseen('No region to read trails in');
  const wanted = new Set(regions);
  let listed: { arn: string; homeRegion: string }[];
  try {
    const ct = clientFor({ ...base, region: regions[0]! }, CloudTrailClient);
    const items = await paginate(async (NextToken) => {
      const out = await ct.send(new ListTrailsCommand({ NextToken }));
      return { items: out.Trails, next: out.NextToken };
    });
    listed = items.flatMap((t) => (t.TrailARN ? [{ arn: t.TrailARN, homeRegion: t.HomeRegion || t.TrailARN.split(':')[3] || regions[0]! }] : []));
  } catch (error) {
    return unseen(`Trails not read: ${describeError(error, 'cloudtrail:ListTrails')}`, errorCode(error));
  }
  const byHome = new Map<string, Set<string>>();
  for (const t of listed) {
    if (ctx.ownerAccountId !== undefined && accountOfArn(t.arn) !== ctx.ownerAccountId) continue;
    byHome.set(t.homeRegion, (byHome.get(t.homeRegion) ?? new Set()).add(t.arn));
  }
  if (byHome.size === 0) return seen([]);
  const perHome = await readInEveryRegion([...byHome.keys()], 'trails', 'cloudtrail:DescribeTrails', async (home) => {
    const arns = byHome.get(home)!;
    const out = await clientFor({ ...base, region: home }, CloudTrailClient).send(
      new DescribeTrailsCommand({ trailNameList: [...arns], includeShadowTrails: false }),
    );
    return (out.trailList ?? []).filter((t) => t.TrailARN && arns.has(t.TrailARN));
  });
  if (!perHome.ok) return perHome;

  const byArn = new Map<string, Trail>();
  for (const r of perHome.value) {
    for (const trail of r.items) {
      // The same set the checks judged when trails were read region by region: what the scanned regions see.
      if (trail.IsMultiRegionTrail !== true && !wanted.has(homeRegionOf(trail))) continue;
      if (!byArn.has(String(trail.TrailARN))) byArn.set(String(trail.TrailARN), trail);
    }
  }

  const limit = limiter();
  const trails = await Promise.all(
    [...byArn.values()].map((trail) =>
      limit(async () => {
        const home = homeRegionOf(trail);
        const arn = String(trail.TrailARN);
        const ct = clientFor({ ...base, region: home }, CloudTrailClient);
        const [status, selectors] = await Promise.all([
          attempt('cloudtrail:GetTrailStatus', async () => mapTrailStatus(await ct.send(new GetTrailStatusCommand({ Name: arn })))),
          attempt('cloudtrail:GetEventSelectors', async () => mapSelectors(await ct.send(new GetEventSelectorsCommand({ TrailName: arn })))),
        ]);
        return mapTrail(trail, status, selectors);
      }),
    ),
  );
  return seen(trails.sort((a, b) => a.arn.localeCompare(b.arn)));
}

// ---------- CloudTrail Lake ----------

export function mapEventDataStoreDetails(out: GetEventDataStoreCommandOutput): EventDataStoreInfo['details'] {
  return seen({
    status: String(out.Status ?? 'UNKNOWN'),
    multiRegion: out.MultiRegionEnabled === true,
    organization: out.OrganizationEnabled === true,
    retentionDays: typeof out.RetentionPeriod === 'number' ? out.RetentionPeriod : null,
    terminationProtection: out.TerminationProtectionEnabled === true,
    selectors: (out.AdvancedEventSelectors ?? []).map(mapAdvancedSelector),
  });
}

/**
 * CloudTrail Lake event data stores owned by the account: ListEventDataStores in every region (a store is
 * listed in its home region), deduplicated by ARN, then GetEventDataStore once per store in its home region.
 * Strict like collectTrails: one region whose list fails makes the whole answer unseen.
 */
export async function collectEventDataStores(ctx: TrailsContext): Promise<Observed<EventDataStoreInfo[]>> {
  const base = { factory: ctx.factory, credentials: ctx.credentials, accountId: ctx.accountId };
  const perRegion = await readInEveryRegion(ctx.regions, 'event data stores', 'cloudtrail:ListEventDataStores', async (region) => {
    const ct = clientFor({ ...base, region }, CloudTrailClient);
    return paginate(async (NextToken) => {
      const out = await ct.send(new ListEventDataStoresCommand({ NextToken }));
      return { items: out.EventDataStores, next: out.NextToken };
    });
  });
  if (!perRegion.ok) return perRegion;
  const byArn = new Map<string, { arn: string; name: string; region: string }>();
  for (const r of perRegion.value) {
    for (const s of r.items) {
      const arn = s.EventDataStoreArn;
      if (!arn || byArn.has(arn)) continue;
      if (ctx.ownerAccountId !== undefined && accountOfArn(arn) !== ctx.ownerAccountId) continue;
      byArn.set(arn, { arn, name: String(s.Name ?? arn.split('/').pop()), region: arn.split(':')[3] || r.region });
    }
  }
  const limit = limiter();
  const stores = await Promise.all(
    [...byArn.values()].map((s) =>
      limit(async (): Promise<EventDataStoreInfo> => {
        const ct = clientFor({ ...base, region: s.region }, CloudTrailClient);
        const details = await attempt('cloudtrail:GetEventDataStore', () => ct.send(new GetEventDataStoreCommand({ EventDataStore: s.arn })));
        return {
          arn: s.arn,
          name: s.name,
          homeRegion: s.region,
          ownerAccountId: accountOfArn(s.arn),
          details: details.ok ? mapEventDataStoreDetails(details.value) : details,
        };
      }),
    ),
  );
  return seen(stores.sort((a, b) => a.arn.localeCompare(b.arn)));
}
