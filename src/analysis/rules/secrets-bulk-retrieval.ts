// Credential access through Secrets Manager: one actor retrieving secrets in bulk, by BatchGetSecretValue (a bulk
// read by design, often by tag filter) or by GetSecretValue of many distinct secrets it did not read in the baseline,
// within a sliding window. One finding per actor with the count and the secret ids (bounded), never the values.
import type { TimelineEvent } from '../event.js';
import {
  actorKeyOf,
  attempted,
  doneOrDenied,
  EventSample,
  finding,
  inWindow,
  isBaseline,
  isExpected,
  isTrail,
  listSome,
  lower,
  RecentIds,
  requestIdOf,
  requestParameters,
  say,
  str,
} from './support.js';
import { countParam, defineRule, type Finding, type RuleMeta } from './types.js';

interface Params {
  distinctSecrets: number;
  windowMinutes: number;
}

const meta: RuleMeta<Params> = {
  id: 'secrets-bulk-retrieval',
  title: 'Bulk retrieval of Secrets Manager secrets by one actor',
  severity: 'high',
  element: 'access',
  techniques: ['T1555.006', 'T1552'],
  rationale:
    'A leaked credential is used to harvest more: BatchGetSecretValue returns many secrets in one call (by list or by tag filter), and a loop of GetSecretValue over secrets the actor never read before does the same. Reads of secrets the actor already read in the baseline are its usual work and do not count. A denied attempt is still reported, one step lower. The finding names the secrets, never their values.',
  messages: {
    bulk: '{actor} retrieved {what} between {from} and {to}{listed}{attempt}',
  },
  params: {
    distinctSecrets: countParam(
      5,
      'Distinct secrets, not read by the actor in the baseline, retrieved by GetSecretValue within windowMinutes that make a bulk read.',
    ),
    windowMinutes: countParam(60, 'Sliding window of the GetSecretValue count, minutes.'),
  },
  needsBaseline: false,
  response: {
    containment: ['Deactivate the credential that retrieved the secrets; revoke its role sessions'],
    recovery: ['Rotate every secret listed in the finding (and the secrets matching its filters); review where those secrets grant access'],
  },
};

const SERVICE = 'secretsmanager.amazonaws.com';
const MAX_ACTORS = 100_000;
const MAX_IDS = 50;
const MAX_USUAL = 200_000;

/** What one actor did with secrets in the window. */
interface Harvest {
  sample: EventSample;
  /** Secret ids named by the requests (first MAX_IDS); `idCount` counts them all. */
  ids: Set<string>;
  idCount: number;
  filters: Set<string>;
  batch: number;
  lists: number;
  succeeded: boolean;
  /** GetSecretValue of secrets new to the actor: [ms, secret id], oldest first, within the window span. */
  recent: [number, string][];
  bulk: boolean;
  lastOutcome: TimelineEvent | null;
}

/** Secret ids a request names: GetSecretValue's secretId, BatchGetSecretValue's secretIdList. */
export function secretIdsOf(e: TimelineEvent): string[] {
  const p = requestParameters(e);
  const one = str(p.secretId);
  if (one) return [one];
  const list = p.secretIdList;
  return Array.isArray(list) ? list.map(str).filter((s): s is string => s !== null) : [];
}

/** BatchGetSecretValue filters as `key=value,value`. */
function filtersOf(e: TimelineEvent): string[] {
  const f = requestParameters(e).filters;
  if (!Array.isArray(f)) return [];
  return f.slice(0, 10).map((x) => {
    const o = x && typeof x === 'object' ? (x as Record<string, unknown>) : {};
    const values = Array.isArray(o.values) ? o.values.map(String).slice(0, 5).join(',') : '';
    return `${str(o.key) ?? '?'}=${values}`;
  });
}

function describeHarvest(h: Harvest): string {
  const parts: string[] = [];
  if (h.batch) parts.push(`secrets in bulk with ${h.batch} BatchGetSecretValue call(s)`);
  const distinct = h.idCount;
  if (distinct) parts.push(`${distinct} named secret(s)`);
  if (h.filters.size) parts.push(`by filter ${listSome(h.filters, 3)}`);
  if (h.lists) parts.push(`after ${h.lists} ListSecrets call(s)`);
  return parts.join(', ');
}

export const secretsBulkRetrieval = defineRule<Params>({
  meta,
  create(ctx) {
    const span = ctx.params.windowMinutes * 60_000;
    const seen = new RecentIds();
    const usual = new Set<string>();
    const actors = new Map<string, Harvest>();
    const harvestOf = (key: string): Harvest | null => {
      let h = actors.get(key);
      if (!h && actors.size < MAX_ACTORS) {
        h = {
          sample: new EventSample(),
          ids: new Set(),
          idCount: 0,
          filters: new Set(),
          batch: 0,
          lists: 0,
          succeeded: false,
          recent: [],
          bulk: false,
          lastOutcome: null,
        };
        actors.set(key, h);
      }
      return h ?? null;
    };
    const addIds = (h: Harvest, ids: readonly string[]) => {
      for (const id of ids) {
        if (h.ids.has(id)) continue;
        h.idCount++;
        if (h.ids.size < MAX_IDS) h.ids.add(id);
      }
    };
    return {
      event(e) {
        if (!isTrail(e) || e.service !== SERVICE || !doneOrDenied(e) || !seen.firstSighting(requestIdOf(e))) return;
        const key = actorKeyOf(e) ?? '(unknown actor)';
        if (isBaseline(e, ctx)) {
          if (e.action === 'GetSecretValue' && usual.size < MAX_USUAL) for (const id of secretIdsOf(e)) usual.add(`${key}|${id}`);
          return;
        }
        if (!inWindow(e, ctx) || isExpected(e, ctx)) return;
        if (e.action === 'BatchGetSecretValue') {
          const h = harvestOf(key);
          if (!h) return;
          h.batch++;
          h.bulk = true;
          h.sample.add(e);
          h.succeeded ||= e.outcome === 'success';
          h.lastOutcome = e;
          addIds(h, secretIdsOf(e));
          for (const f of filtersOf(e)) if (h.filters.size < 10) h.filters.add(f);
          return;
        }
        if (e.action === 'ListSecrets') {
          const h = harvestOf(key);
          if (h) h.lists++;
          return;
        }
        if (e.action !== 'GetSecretValue') return;
        const fresh = secretIdsOf(e).filter((id) => !usual.has(`${key}|${id}`));
        if (!fresh.length) return;
        const h = harvestOf(key);
        if (!h) return;
        const t = Date.parse(e.time);
        for (const id of fresh) if (!h.recent.some(([, x]) => x === id)) h.recent.push([t, id]);
        while (h.recent.length && t - h.recent[0]![0] > span) h.recent.shift();
        // Memory: only the last threshold-many distinct secrets are needed to decide the window.
        if (h.recent.length > ctx.params.distinctSecrets) h.recent.splice(0, h.recent.length - ctx.params.distinctSecrets);
        if (h.recent.length >= ctx.params.distinctSecrets) h.bulk = true;
        h.sample.add(e);
        h.succeeded ||= e.outcome === 'success';
        h.lastOutcome = e;
        addIds(h, fresh);
      },
      finish() {
        const findings: Finding[] = [];
        for (const [key, h] of actors) {
          if (!h.bulk) continue;
          const s = h.sample;
          const f = finding(
            meta,
            s,
            say(meta.messages.bulk, {
              actor: s.first?.actor ?? key,
              what: describeHarvest(h),
              from: s.first?.time,
              to: s.last?.time,
              listed: h.ids.size ? `: ${listSome(h.ids, 10, h.idCount)}` : '',
              attempt: h.succeeded ? '' : attempted(h.lastOutcome!),
            }),
            { actorKey: key, target: h.ids.size ? [...h.ids][0]! : 'secretsmanager', severity: h.succeeded ? meta.severity : lower(meta.severity) },
          );
          findings.push(f);
        }
        return { findings, notAssessed: null };
      },
    };
  },
});
