// Orchestrates a scan: discovery -> role chain -> account x region collection (bounded, spread across
// accounts) -> bucket details in each bucket's owner account -> checks -> scoring -> ScanDocument.
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import type { Check, CheckParameters } from '../../checks/types.js';
import type { ClientFactory } from '../aws/clients.js';
import { sessionNameFor } from '../aws/credentials.js';
import { describeError } from '../aws/errors.js';
import { planRegions } from '../aws/regions.js';
import { openSession, type Session, type TargetOptions } from '../aws/session.js';
import { collectAccountGlobal, collectEventDataStores, collectRegion, collectTrails } from '../inventory/index.js';
import { availabilityNotes, notOfferedIn, readServiceAvailability } from '../inventory/availability.js';
import { regionBucketReferences } from '../../checks/lib/buckets.js';
import {
  closedValue,
  ORG_ACCOUNT_STATUSES,
  seen,
  unreadRegionInventory,
  unseen,
  type AccountInventory,
  type BucketInfo,
  type EventDataStoreInfo,
  type Inventory,
  type Observed,
  type RegionInventory,
  type ReleasedRegions,
  type TrailInfo,
} from '../model/inventory.js';
import { SCAN_SCHEMA_VERSION, type ScanDocument } from '../model/scan.js';
import { readAccountBuckets, readRelevantBuckets, type BucketReader } from './buckets.js';
import { evaluateInventory } from './engine.js';
import { RegionSpill } from './spill.js';

export interface ScanProgress {
  phase: 'discovery' | 'collect' | 'buckets' | 'evaluate' | 'done';
  accountsDone: number;
  accountsTotal: number;
  message?: string;
}

export interface ScanOptions {
  scanId?: string;
  target: TargetOptions;
  checks: readonly Check[];
  params: CheckParameters;
  toolVersion: string;
  onProgress?: (progress: ScanProgress) => void;
  /** Tests and the demo pass a factory pointed at an emulator. */
  factory?: ClientFactory;
  /**
   * Aborted when the run's time is up: calls in flight fail, nothing new is sent, and whatever was not read is
   * NOT_ASSESSED with that reason, so the scan still finishes and its output is written.
   */
  deadline?: AbortSignal;
  /**
   * Default true: each account's regional inventory leaves memory once its collection is complete and is read
   * back only to evaluate it. False keeps every account's regions in the returned inventory.
   */
  releaseRegions?: boolean;
}

export function newScanId(now = new Date()): string {
  return `scan-${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

export interface ScanRun {
  document: ScanDocument;
  /** What was collected; each account's `regions` were released once collected (see Inventory.releasedRegions). */
  inventory: Inventory;
  session: Session;
}

export async function runScan(options: ScanOptions): Promise<ScanRun> {
  const spill = new RegionSpill();
  try {
    return await scanWith(options, spill);
  } finally {
    spill.close();
  }
}

async function scanWith(options: ScanOptions, spill: RegionSpill): Promise<ScanRun> {
  const started = new Date();
  const scanId = options.scanId ?? newScanId(started);
  const report = options.onProgress ?? (() => {});
  const { target } = options;

  report({ phase: 'discovery', accountsDone: 0, accountsTotal: 0, message: 'discovering accounts' });
  if (options.deadline) options.factory?.useDeadline(options.deadline);
  const session = await openSession(target, sessionNameFor('scan', scanId), options.factory, options.deadline ? { deadline: options.deadline } : {});
  const { factory, chain, scope } = session;
  const total = scope.accounts.length;
  // Which Regions offer each AI service: read once, with the credentials the scan starts with, while the
  // accounts' roles are assumed; each account waits for it only before its regional collection.
  const availability = readServiceAvailability({
    factory,
    credentials: chain.discovery,
    accountId: chain.discoveryAccountId,
    homeRegion: target.homeRegion,
  });

  const accounts = scope.accounts.map(uncollectedAccount);

  const global = pLimit(target.concurrency);
  const perAccountCap = Math.max(2, Math.ceil(target.concurrency / 4));
  const accountLimits = new Map(accounts.map((a) => [a.accountId, pLimit(perAccountCap)]));
  // Acquire the account's slot before a global one, so a slow account never holds global slots idle.
  const run = <T>(accountId: string, work: () => Promise<T>): Promise<T> => accountLimits.get(accountId)!(() => global(work));
  // AssumeRole and region discovery have their own queue: an account's first calls never wait behind the
  // collection units of the accounts queued before it.
  const discovery = pLimit(Math.max(2, Math.ceil(target.concurrency / 4)));
  const bucketReader: BucketReader = { factory, credentialsFor: (id: string) => chain.forAccount(id), run, homeRegion: target.homeRegion };
  const bucketsRead = new Set<string>();

  const bucketMeta: Record<string, BucketInfo> = {};
  const releasedRegions = new Map<string, ReleasedRegions>();
  // Once an account's own buckets are read, nothing but its evaluation needs its regions: keep what the
  // Organization-wide bucket classification needs of them, and the regions themselves on disk until evaluated.
  const release = async (account: AccountInventory): Promise<void> => {
    if (options.releaseRegions === false) return;
    const references = regionBucketReferences(account);
    if (!(await spill.put(account.accountId, account.regions))) return;
    releasedRegions.set(account.accountId, references);
    account.regions = {};
  };
  let accountsDone = 0;
  const finishAccount = (account: AccountInventory): void => {
    accountsDone++;
    report({ phase: 'collect', accountsDone, accountsTotal: total, message: `${account.name} (${account.accountId})` });
  };

  report({ phase: 'collect', accountsDone: 0, accountsTotal: total, message: 'assuming the forensic role and collecting' });
  for (const a of accounts) if (a.skippedReason) finishAccount(a);

  // Each account goes through its own pipeline (assume role, plan regions, then its collection units), so no
  // account waits for another's AssumeRole; the global FIFO limit interleaves the units of all accounts and
  // the per-account cap keeps one slow or throttled account from taking every slot.
  await Promise.all(accounts.filter((a) => !a.skippedReason).map((account) => scanAccount(account)));

  async function scanAccount(account: AccountInventory): Promise<void> {
    await discovery(async () => {
      account.access = await chain.verify(account.accountId);
      if (!account.access.ok) return;
      const plan = await planRegions(factory, chain.forAccount(account.accountId), account.accountId, target.regions, target.homeRegion);
      account.regionsScanned = plan.scan;
      account.regionsSkipped = plan.skipped;
    });
    if (account.access.ok) {
      const credentials = chain.forAccount(account.accountId);
      const offered = await availability;
      const units: { work: () => Promise<void>; onError: (reason: string) => void }[] = [
        {
          work: async () => {
            const out = await collectAccountGlobal({
              factory,
              credentials,
              accountId: account.accountId,
              homeRegion: account.regionsScanned[0] ?? target.homeRegion,
              regions: account.regionsScanned,
            });
            account.trails = out.trails;
            account.eventDataStores = out.eventDataStores;
            account.ownedBuckets = out.ownedBuckets;
            for (const [name, meta] of Object.entries(out.bucketMeta)) bucketMeta[name] = { ...meta };
          },
          onError: (reason) => {
            account.trails = unseen(reason);
            account.eventDataStores = unseen(reason);
            account.ownedBuckets = unseen(reason);
          },
        },
        ...account.regionsScanned.map((region) => ({
          work: async () => {
            account.regions[region] = await collectRegion({
              factory,
              credentials,
              accountId: account.accountId,
              region,
              notOffered: notOfferedIn(offered, region),
            });
          },
          onError: (reason: string) => {
            account.regions[region] = unreadRegion(region, reason);
          },
        })),
      ];
      await Promise.all(
        units.map((unit) =>
          run(account.accountId, async () => {
            try {
              await unit.work();
            } catch (error) {
              // Collectors record their own failures; anything escaping is a bug. Mark everything the unit was
              // reading as unread, so every check that needed it says NOT_ASSESSED instead of judging a gap.
              unit.onError(`Collector error: ${describeError(error)}`);
            }
          }),
        ),
      );
      await readAccountBuckets(account, scope.organization, bucketMeta, options.params, bucketReader, bucketsRead);
      await release(account);
    }
    finishAccount(account);
  }

  const inventory: Inventory = {
    scanId,
    organization: scope.organization,
    organizationTrails: await readOrganizationTrails(session, target, accounts),
    organizationEventDataStores: await readOrganizationEventDataStores(session, target, accounts),
    accounts,
    buckets: bucketMeta,
    releasedRegions,
  };

  // Phase 2: bucket properties, once per bucket, via its owner's role and in its own region.
  report({ phase: 'buckets', accountsDone, accountsTotal: total, message: 'reading bucket properties' });
  await readRelevantBuckets(inventory, options.params, bucketReader, bucketsRead);

  report({ phase: 'evaluate', accountsDone, accountsTotal: total, message: 'evaluating checks' });
  const document = evaluateScan(options, inventory, spill, { scanId, started, factory, notes: availabilityNotes(await availability) });
  report({ phase: 'done', accountsDone: total, accountsTotal: total });
  return { document, inventory, session };
}

/** An account of the scope before anything of it is read. */
function uncollectedAccount(a: Session['scope']['accounts'][number]): AccountInventory {
  return {
    accountId: a.accountId,
    name: a.name,
    orgStatus: closedValue(ORG_ACCOUNT_STATUSES, a.status),
    ...(a.skippedReason ? { skippedReason: a.skippedReason } : {}),
    access: a.skippedReason ? unseen(a.skippedReason, 'AccountNotActive') : unseen('not yet assumed'),
    regionsScanned: [],
    regionsSkipped: [],
    trails: unseen('not collected'),
    ownedBuckets: unseen('not collected'),
    regions: {},
  };
}

/** Evaluates every account, one at a time with its regions read back from the spill, into the scan document. */
function evaluateScan(
  options: ScanOptions,
  inventory: Inventory,
  spill: RegionSpill,
  run: { scanId: string; started: Date; factory: ClientFactory; notes: string[] },
): ScanDocument {
  const { scanId, started, factory, notes } = run;
  const evaluation = evaluateInventory(inventory, options.checks, options.params, (a) =>
    spill.has(a.accountId) ? { ...a, regions: spill.take(a.accountId) } : a,
  );
  const finished = new Date();
  return {
    schemaVersion: SCAN_SCHEMA_VERSION,
    tool: { name: 'forensight', version: options.toolVersion },
    scanId,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    organization: inventory.organization,
    parameters: { ...options.params },
    accounts: evaluation.accounts,
    results: evaluation.results,
    score: evaluation.score,
    ...(notes.length > 0 ? { notes } : {}),
    stats: { apiCalls: factory.recorder.count, durationMs: finished.getTime() - started.getTime(), errors: factory.recorder.errorCount },
  };
}

/** Organization trails live in the management account; read them there once, if we can reach it. */
async function readOrganizationTrails(session: Session, target: TargetOptions, accounts: AccountInventory[]): Promise<Observed<TrailInfo[]> | null> {
  const org = session.scope.organization;
  if (!org) {
    // An unreadable Organization is not "no organization trails": coverage by them is unknown.
    return session.scope.organizationUnread ? unseen(`Organization trails not read: ${session.scope.organizationUnread}`) : null;
  }
  const mgmt = accounts.find((a) => a.accountId === org.managementAccountId);
  if (mgmt) {
    if (!mgmt.access.ok)
      return unseen(`Organization trails not read: management account ${org.managementAccountId} was not accessible (${inaccessible(mgmt)})`);
    // In scope, the management account's trails were already read with the rest of its account.
    return mgmt.trails.ok ? seen(mgmt.trails.value.filter((t) => t.isOrganizationTrail)) : mgmt.trails;
  }
  const access = await session.chain.verify(org.managementAccountId);
  if (!access.ok) return unseen(`Organization trails not read: ${access.reason}`);
  const regions = target.regions === 'all' ? [target.homeRegion] : target.regions;
  const trails = await collectTrails({
    factory: session.factory,
    credentials: session.chain.forAccount(org.managementAccountId),
    accountId: org.managementAccountId,
    regions,
  });
  return trails.ok ? seen(trails.value.filter((t) => t.isOrganizationTrail)) : trails;
}

/** Organization event data stores, like organization trails: owned by the management account, read there once. */
async function readOrganizationEventDataStores(
  session: Session,
  target: TargetOptions,
  accounts: AccountInventory[],
): Promise<Observed<EventDataStoreInfo[]> | null> {
  const org = session.scope.organization;
  if (!org) return session.scope.organizationUnread ? unseen(`Organization event data stores not read: ${session.scope.organizationUnread}`) : null;
  const orgOnly = (o: Observed<EventDataStoreInfo[]>): Observed<EventDataStoreInfo[]> =>
    o.ok ? seen(o.value.filter((s) => s.details.ok && s.details.value.organization)) : o;
  const mgmt = accounts.find((a) => a.accountId === org.managementAccountId);
  if (mgmt) {
    if (!mgmt.access.ok)
      return unseen(
        `Organization event data stores not read: management account ${org.managementAccountId} was not accessible (${inaccessible(mgmt)})`,
      );
    return orgOnly(mgmt.eventDataStores ?? unseen('not collected'));
  }
  const access = await session.chain.verify(org.managementAccountId);
  if (!access.ok) return unseen(`Organization event data stores not read: ${access.reason}`);
  const regions = target.regions === 'all' ? [target.homeRegion] : target.regions;
  return orgOnly(
    await collectEventDataStores({
      factory: session.factory,
      credentials: session.chain.forAccount(org.managementAccountId),
      accountId: org.managementAccountId,
      regions,
    }),
  );
}

/** A region whose collection failed outright: every input unread, with the reason. */
export const unreadRegion = (region: string, reason: string): RegionInventory => unreadRegionInventory(region, reason);

function inaccessible(account: AccountInventory): string {
  return account.access.ok ? '' : account.access.reason;
}
