// CloudTrail event-selector evaluation, classic and advanced.
//
// Management events
// -----------------
// Classic: a selector with IncludeManagementEvents (default true) contributes its ReadWriteType (default All);
// two selectors ReadOnly + WriteOnly together cover both.
// Advanced: a selector whose eventCategory is Equals Management contributes the readOnly values it lets
// through (no readOnly field = both). The only other restriction accepted as "still all management events"
// is eventSource NotEquals kms.amazonaws.com / rdsdata.amazonaws.com: these are the high-volume exclusions
// the CloudTrail console offers, and they are reported in the evidence. Any other condition (eventName,
// eventSource Equals, other exclusions) makes the selector partial, and a partial selector does not count.
// A trail whose selectors are both empty is treated as AWS's default (all management events, read and
// write): AWS never returns empty selectors for a real trail, emulators do.
//
// Data events
// -----------
// A resource is either one exact ARN (endpoint, knowledge base) or every ARN under a prefix (all objects of
// a bucket: "arn:aws:s3:::bucket/", all aliases of an agent). Coverage is "all", "partial" or "none":
// - classic DataResources (S3 objects, Lambda, DynamoDB only): value "arn:aws:s3" or "arn:aws:s3:::" selects
//   every bucket; "arn:aws:s3:::bucket/" (or without the slash) the whole bucket; a longer prefix is partial.
// - advanced: all field selectors of one selector are ANDed; within a field, the positive operators
//   (Equals, StartsWith, EndsWith) are ORed and every negative operator (NotEquals, NotStartsWith,
//   NotEndsWith) must hold. An eventName condition, or a field we do not model, makes the selector partial.
// - selectors are ORed: the best coverage of any selector wins (two partial selectors stay partial; we do
//   not try to prove that their union is complete).
import type { AdvancedEventSelector, AdvancedFieldSelector, ClassicEventSelector, TrailSelectors } from '../../src/model/inventory.js';

export type Coverage = 'all' | 'partial' | 'none';
const RANK: Record<Coverage, number> = { none: 0, partial: 1, all: 2 };
export const minCoverage = (a: Coverage, b: Coverage): Coverage => (RANK[a] <= RANK[b] ? a : b);
export const maxCoverage = (a: Coverage, b: Coverage): Coverage => (RANK[a] >= RANK[b] ? a : b);

/** Management-event exclusions that still count as "all management events". */
export const ACCEPTED_MANAGEMENT_EXCLUSIONS = ['kms.amazonaws.com', 'rdsdata.amazonaws.com'];

export interface ManagementCoverage {
  read: boolean;
  write: boolean;
  /** eventSource exclusions accepted (e.g. kms.amazonaws.com). */
  excludedSources: string[];
  /** True when the trail had no selectors and AWS's default was assumed. */
}

const has = (list: string[] | undefined): list is string[] => Array.isArray(list) && list.length > 0;

/** Does a concrete value satisfy one field selector? */
export function fieldMatches(fs: AdvancedFieldSelector, value: string): boolean {
  const positives = [fs.equals, fs.startsWith, fs.endsWith].some(has);
  if (positives) {
    const ok =
      (fs.equals ?? []).includes(value) ||
      (fs.startsWith ?? []).some((p) => value.startsWith(p)) ||
      (fs.endsWith ?? []).some((s) => value.endsWith(s));
    if (!ok) return false;
  }
  if ((fs.notEquals ?? []).includes(value)) return false;
  if ((fs.notStartsWith ?? []).some((p) => value.startsWith(p))) return false;
  if ((fs.notEndsWith ?? []).some((s) => value.endsWith(s))) return false;
  return true;
}

function readOnlyValues(fields: AdvancedFieldSelector[]): { read: boolean; write: boolean } {
  const ro = fields.filter((f) => f.field === 'readOnly');
  return {
    read: ro.every((f) => fieldMatches(f, 'true')),
    write: ro.every((f) => fieldMatches(f, 'false')),
  };
}

export function managementCoverage(selectors: TrailSelectors): ManagementCoverage {
  const result: ManagementCoverage = { read: false, write: false, excludedSources: [] };
  // No selectors at all never happens on AWS (a trail always has one); moto leaves new trails empty.
  // Treat it as recording nothing we can prove, never as a default that passes.
  for (const sel of selectors.classic) {
    if (sel.includeManagementEvents === false) continue;
    const rw = sel.readWriteType ?? 'All';
    if (rw === 'All' || rw === 'ReadOnly') result.read = true;
    if (rw === 'All' || rw === 'WriteOnly') result.write = true;
  }
  for (const sel of selectors.advanced) {
    const fields = sel.fieldSelectors;
    const cat = fields.filter((f) => f.field === 'eventCategory');
    if (cat.length === 0 || !cat.every((f) => fieldMatches(f, 'Management'))) continue;
    let partial = false;
    const excluded: string[] = [];
    for (const f of fields) {
      if (f.field === 'eventCategory' || f.field === 'readOnly') continue;
      if (f.field === 'eventSource') {
        const onlyAcceptedNotEquals =
          ![f.equals, f.startsWith, f.endsWith, f.notStartsWith, f.notEndsWith].some(has) &&
          (f.notEquals ?? []).every((s) => ACCEPTED_MANAGEMENT_EXCLUSIONS.includes(s));
        if (onlyAcceptedNotEquals) {
          excluded.push(...(f.notEquals ?? []));
          continue;
        }
      }
      partial = true;
    }
    if (partial) continue;
    const rw = readOnlyValues(fields);
    if (rw.read) result.read = true;
    if (rw.write) result.write = true;
    if (rw.read || rw.write) result.excludedSources.push(...excluded);
  }
  result.excludedSources = [...new Set(result.excludedSources)];
  return result;
}

/** The resource a data-event question is about. */
export type DataResource =
  | { kind: 'exact'; type: string; arn: string }
  /** Every ARN that starts with `prefix` (all objects of a bucket: "arn:aws:s3:::bucket/"). */
  | { kind: 'prefix'; type: string; prefix: string };

/** Coverage of the ARN field of one advanced field selector over the resource. */
function arnFieldCoverage(fs: AdvancedFieldSelector, res: DataResource): Coverage {
  if (res.kind === 'exact') return fieldMatches(fs, res.arn) ? 'all' : 'none';
  const P = res.prefix;
  let pos: Coverage = 'all';
  if ([fs.equals, fs.startsWith, fs.endsWith].some(has)) {
    pos = 'none';
    for (const s of fs.startsWith ?? []) {
      if (P.startsWith(s)) pos = maxCoverage(pos, 'all');
      else if (s.startsWith(P)) pos = maxCoverage(pos, 'partial');
    }
    for (const e of fs.equals ?? []) if (e.startsWith(P) && e.length > P.length) pos = maxCoverage(pos, 'partial');
    // Some object keys end with any suffix, but never all of them.
    if (has(fs.endsWith)) pos = maxCoverage(pos, 'partial');
  }
  let neg: Coverage = 'all';
  for (const s of fs.notStartsWith ?? []) {
    if (P.startsWith(s)) neg = 'none';
    else if (s.startsWith(P)) neg = minCoverage(neg, 'partial');
  }
  for (const e of fs.notEquals ?? []) if (e.startsWith(P) && e.length > P.length) neg = minCoverage(neg, 'partial');
  if (has(fs.notEndsWith)) neg = minCoverage(neg, 'partial');
  return minCoverage(pos, neg);
}

/** Coverage of one advanced selector for (resource, readOnly). */
export function advancedSelectorCoverage(sel: AdvancedEventSelector, res: DataResource, readOnly: boolean): Coverage {
  const fields = sel.fieldSelectors;
  const cat = fields.filter((f) => f.field === 'eventCategory');
  if (cat.length === 0 || !cat.every((f) => fieldMatches(f, 'Data'))) return 'none';
  const types = fields.filter((f) => f.field === 'resources.type');
  if (types.length === 0 || !types.every((f) => fieldMatches(f, res.type))) return 'none';
  let cov: Coverage = 'all';
  for (const f of fields) {
    switch (f.field) {
      case 'eventCategory':
      case 'resources.type':
        break;
      case 'readOnly':
        if (!fieldMatches(f, readOnly ? 'true' : 'false')) return 'none';
        break;
      case 'resources.ARN':
        cov = minCoverage(cov, arnFieldCoverage(f, res));
        break;
      default:
        // eventName, eventSource, userIdentity.arn, ...: only some of the events are selected.
        cov = minCoverage(cov, 'partial');
    }
    if (cov === 'none') return 'none';
  }
  return cov;
}

const CLASSIC_TYPES = new Set(['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table']);

/** Coverage of one classic selector for (resource, readOnly). */
export function classicSelectorCoverage(sel: ClassicEventSelector, res: DataResource, readOnly: boolean): Coverage {
  if (!CLASSIC_TYPES.has(res.type)) return 'none';
  const rw = sel.readWriteType ?? 'All';
  if (rw === 'ReadOnly' && !readOnly) return 'none';
  if (rw === 'WriteOnly' && readOnly) return 'none';
  let cov: Coverage = 'none';
  for (const dr of sel.dataResources ?? []) {
    if (dr.type !== res.type) continue;
    for (const v of dr.values) {
      cov = maxCoverage(cov, classicValueCoverage(v, res));
    }
  }
  return cov;
}

function classicValueCoverage(v: string, res: DataResource): Coverage {
  const value = v.trim();
  if (res.kind === 'exact') {
    const service = res.arn.split(':').slice(0, 3).join(':'); // e.g. arn:aws:lambda = every function
    return res.arn === value || value === service ? 'all' : 'none';
  }
  const P = res.prefix;
  const service = P.split(':').slice(0, 3).join(':'); // arn:aws:s3
  if (value === service || value === `${service}:::` || value === `${service}:`) return 'all';
  if (P.startsWith(value) && (value.endsWith('/') || `${value}/` === P)) return 'all';
  if (value.startsWith(P) && value.length > P.length) return 'partial';
  return 'none';
}

/** Best coverage any selector of a trail gives for (resource, readOnly). */
export function dataEventCoverage(selectors: TrailSelectors, res: DataResource, readOnly: boolean): Coverage {
  let cov: Coverage = 'none';
  for (const sel of selectors.classic) cov = maxCoverage(cov, classicSelectorCoverage(sel, res, readOnly));
  for (const sel of selectors.advanced) cov = maxCoverage(cov, advancedSelectorCoverage(sel, res, readOnly));
  return cov;
}
