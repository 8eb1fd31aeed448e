// Which trails cover an account, and whether they log what a check needs.
//
// A trail covers an account when it is defined in that account, or when it is an organization trail
// (Inventory.organizationTrails, read from the management account), which applies to every member account.
// A trail covers a region when it is multi-region or when the region is its home region.
// "Logging" = the trail's status could be read and IsLogging is true.
//
// CloudTrail Lake event data stores are recorders too: a store that is ingesting (status ENABLED) records the
// events its advanced selectors choose (same fields as a trail's), for its own account or, as an organization
// store owned by the management account, for every member; in every region when multi-region, else in its
// home region. recorderOfStore() gives a store the trail-shaped view the coverage helpers below judge.
import { seen, unseen, type AccountInventory, type EventDataStoreInfo, type Inventory, type TrailInfo } from '../../src/model/inventory.js';
import { trailDeliveryProblem } from './destinations.js';
import type { Verdict } from './results.js';
import { managementCoverage, dataEventCoverage, type Coverage, type DataResource } from './selectors.js';

export interface CoveringTrails {
  trails: TrailInfo[];
  /** Trail lists that could not be read, with the reason (the answer may be incomplete). */
  unreadable: string[];
}

/** Own trails of the account plus organization trails, deduplicated by ARN. */
export function trailsCoveringAccount(inventory: Inventory, account: AccountInventory): CoveringTrails {
  const byArn = new Map<string, TrailInfo>();
  const unreadable: string[] = [];
  if (account.trails.ok) for (const t of account.trails.value) byArn.set(t.arn, t);
  else unreadable.push(`trails of account ${account.accountId} could not be read: ${account.trails.reason}`);
  const org = inventory.organizationTrails;
  if (org) {
    if (org.ok) {
      for (const t of org.value) if (!byArn.has(t.arn)) byArn.set(t.arn, t);
    } else {
      unreadable.push(`organization trails could not be read: ${org.reason}`);
    }
  }
  return { trails: [...byArn.values()], unreadable };
}

/** Every trail in the inventory (all accounts + organization trails), deduplicated. */
export function allTrails(inventory: Inventory): TrailInfo[] {
  const byArn = new Map<string, TrailInfo>();
  for (const a of inventory.accounts) if (a.trails.ok) for (const t of a.trails.value) byArn.set(t.arn, t);
  const org = inventory.organizationTrails;
  if (org?.ok) for (const t of org.value) if (!byArn.has(t.arn)) byArn.set(t.arn, t);
  return [...byArn.values()];
}

/** What the coverage helpers need of a trail or an event data store. */
export type Recorder = Pick<TrailInfo, 'name' | 'isMultiRegion' | 'homeRegion' | 'status' | 'selectors'> & {
  kind: 'trail' | 'event-data-store';
  arn: string;
  /** Why its records reach no destination (bucket gone, delivery error), or null: such a recorder is never evidence. */
  undelivered: Verdict | null;
};

export interface CoveringStores {
  stores: EventDataStoreInfo[];
  unreadable: string[];
}

/**
 * Event data stores recording the account: its own stores plus organization stores, deduplicated by ARN.
 * Organization stores come from Inventory.organizationEventDataStores, else from the management account's own
 * list when it was scanned. Not collected (older inventories, unit fixtures) = none, never unknown.
 */
export function eventDataStoresCoveringAccount(inventory: Inventory, account: AccountInventory): CoveringStores {
  const byArn = new Map<string, EventDataStoreInfo>();
  const unreadable: string[] = [];
  const own = account.eventDataStores;
  if (own?.ok) for (const s of own.value) byArn.set(s.arn, s);
  else if (own) unreadable.push(`event data stores of account ${account.accountId} could not be read: ${own.reason}`);
  let org = inventory.organizationEventDataStores;
  if (org === undefined && inventory.organization) {
    const mgmt = inventory.accounts.find((a) => a.accountId === inventory.organization?.managementAccountId);
    org = mgmt?.eventDataStores?.ok
      ? seen(mgmt.eventDataStores.value.filter((s) => s.details.ok && s.details.value.organization))
      : mgmt?.eventDataStores;
  }
  if (org?.ok) {
    for (const s of org.value) if (!byArn.has(s.arn)) byArn.set(s.arn, s);
  } else if (org) {
    unreadable.push(`organization event data stores could not be read: ${org.reason}`);
  }
  return { stores: [...byArn.values()], unreadable };
}

/** The trail-shaped view of a store: "logging" = ingesting (status ENABLED). */
export function recorderOfStore(s: EventDataStoreInfo): Recorder {
  const d = s.details;
  const name = `event data store ${s.name}`;
  return {
    kind: 'event-data-store',
    arn: s.arn,
    name,
    homeRegion: s.homeRegion,
    isMultiRegion: d.ok && d.value.multiRegion,
    status: d.ok ? seen({ isLogging: d.value.status === 'ENABLED', latestDeliveryError: null }) : unseen(d.reason, d.errorCode),
    selectors: d.ok ? seen({ classic: [], advanced: d.value.selectors }) : unseen(d.reason, d.errorCode),
    undelivered: null,
  };
}

/** A trail as a recorder, with whether its bucket exists and receives (lib/destinations.ts). */
export const recorderOfTrail = (inventory: Pick<Inventory, 'buckets'>, t: TrailInfo): Recorder => ({
  ...t,
  kind: 'trail',
  undelivered: trailDeliveryProblem(inventory, t),
});

/** Trails and event data stores recording the account, as recorders, with what could not be read. */
export function recordersCoveringAccount(inventory: Inventory, account: AccountInventory): { recorders: Recorder[]; unreadable: string[] } {
  const t = trailsCoveringAccount(inventory, account);
  const s = eventDataStoresCoveringAccount(inventory, account);
  return {
    recorders: [...t.trails.map((x) => recorderOfTrail(inventory, x)), ...s.stores.map(recorderOfStore)],
    unreadable: [...t.unreadable, ...s.unreadable],
  };
}

/** "trail X" or "event data store X" (a store recorder's name already says what it is). */
export const label = (t: { name: string; kind?: Recorder['kind'] }): string => (t.kind === 'event-data-store' ? t.name : `trail ${t.name}`);

export const isLogging = (t: TrailInfo): boolean => t.status.ok && t.status.value.isLogging;

export const coversRegion = (t: Pick<Recorder, 'isMultiRegion' | 'homeRegion'>, region: string): boolean =>
  t.isMultiRegion || t.homeRegion === region;

/**
 * Three-valued answer for one trail: yes, no (with why) or unknown (with what could not be read). A "no" because
 * the records reach no destination carries that destination verdict's code (destination-missing, not-delivering).
 */
export type TrailAnswer =
  { answer: 'yes'; detail: string } | { answer: 'no'; detail: string; destinationCode?: string } | { answer: 'unknown'; detail: string };

type Judged = Pick<Recorder, 'name' | 'status' | 'selectors'> & { kind?: Recorder['kind']; undelivered?: Verdict | null };

/** The recorder's destination problem: its own verdict, else the delivery error its status reports. */
function undeliveredOf(t: Judged): Verdict | null {
  if (t.undelivered) return t.undelivered;
  const error = t.status.ok ? t.status.value.latestDeliveryError : null;
  return error
    ? { status: 'FAIL', code: 'not-delivering', reason: `${label(t)} is not delivering: GetTrailStatus reports LatestDeliveryError ${error}` }
    : null;
}

/** Is the trail logging, delivering and recording read and write management events? */
export function trailRecordsManagementEvents(t: Judged): TrailAnswer & { excludedSources?: string[] } {
  if (!t.status.ok) return { answer: 'unknown', detail: `status of ${label(t)} could not be read: ${t.status.reason}` };
  if (!t.status.value.isLogging) return { answer: 'no', detail: `${label(t)} is not ${t.kind === 'event-data-store' ? 'ingesting' : 'logging'}` };
  const undelivered = undeliveredOf(t);
  if (undelivered) return { answer: 'no', detail: undelivered.reason, destinationCode: undelivered.code };
  if (!t.selectors.ok) return { answer: 'unknown', detail: `event selectors of ${label(t)} could not be read: ${t.selectors.reason}` };
  const m = managementCoverage(t.selectors.value);
  if (m.read && m.write) return { answer: 'yes', detail: `${label(t)} records read and write management events`, excludedSources: m.excludedSources };
  const what = m.read ? 'only read' : m.write ? 'only write' : 'no';
  return { answer: 'no', detail: `${label(t)} records ${what} management events` };
}

export interface DataEventAnswer {
  read: Coverage;
  write: Coverage;
  /** Trails whose answer could not be determined, with why. */
  unknown: string[];
  /** Trail names that select all read / all write events. */
  readBy: string[];
  writeBy: string[];
  /** Recorders that select the resource's events but deliver them nowhere: why, and the destination code. */
  undelivered: { detail: string; code: string }[];
}

/**
 * Best read and write data-event coverage of a resource in `region` across `trails` (logging ones that cover
 * the region). An unreadable status or selector list is reported in `unknown`, never counted as coverage.
 * `region` null = resource region unknown: only multi-region trails count.
 */
export function dataEventCoverageAcross(
  trails: (Judged & Pick<Recorder, 'isMultiRegion' | 'homeRegion'>)[],
  res: DataResource,
  region: string | null,
): DataEventAnswer {
  const out: DataEventAnswer = { read: 'none', write: 'none', unknown: [], readBy: [], writeBy: [], undelivered: [] };
  const rank = { none: 0, partial: 1, all: 2 } as const;
  for (const t of trails) {
    if (!(region === null ? t.isMultiRegion : coversRegion(t, region))) continue;
    if (!t.status.ok) {
      out.unknown.push(`status of ${label(t)} could not be read: ${t.status.reason}`);
      continue;
    }
    if (!t.status.value.isLogging) continue;
    if (!t.selectors.ok) {
      out.unknown.push(`event selectors of ${label(t)} could not be read: ${t.selectors.reason}`);
      continue;
    }
    const r = dataEventCoverage(t.selectors.value, res, true);
    const w = dataEventCoverage(t.selectors.value, res, false);
    // A recorder whose bucket is gone or that reports a delivery error keeps nothing it selects.
    const undelivered = undeliveredOf(t);
    if (undelivered) {
      if (r !== 'none' || w !== 'none') out.undelivered.push({ detail: undelivered.reason, code: undelivered.code });
      continue;
    }
    if (rank[r] > rank[out.read]) out.read = r;
    if (rank[w] > rank[out.write]) out.write = w;
    if (r === 'all') out.readBy.push(t.name);
    if (w === 'all') out.writeBy.push(t.name);
  }
  return out;
}

/** Trails that are "the account's audit trails": multi-region or organization trails covering the account. */
export function auditTrails(covering: TrailInfo[]): TrailInfo[] {
  return covering.filter((t) => t.isMultiRegion || t.isOrganizationTrail);
}
