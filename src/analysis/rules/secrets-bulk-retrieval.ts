// Credential access through the secret stores: one actor retrieving secrets in bulk from Secrets Manager or SSM
// Parameter Store (SecureString values, read with decryption). A bulk read by design (BatchGetSecretValue, often by tag
// filter; GetParametersByPath of a path the actor did not read in the baseline) or many distinct secrets the actor did
// not read in the baseline (GetSecretValue, GetParameter, GetParameters) within a sliding window. One finding per actor
// with the count and the secret names (bounded), never the values.
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
  obj,
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
  title: 'Bulk retrieval of secrets (Secrets Manager, SSM SecureString parameters) by one actor',
  severity: 'high',
  element: 'access',
  techniques: ['T1555.006', 'T1552'],
  rationale:
    'A leaked credential is used to harvest more: BatchGetSecretValue returns many secrets in one call (by list or by tag filter) and GetParametersByPath with decryption every SecureString under a path, while a loop of GetSecretValue, GetParameter or GetParameters over secrets the actor never read before does the same. Reads of secrets (and paths) the actor already read in the baseline are its usual work and do not count, nor are parameters read without decryption. A denied attempt is still reported, one step lower. The finding names the secrets, never their values.',
  messages: {
    bulk: '{actor} retrieved {what} between {from} and {to}{listed}{attempt}',
  },
  params: {
    distinctSecrets: countParam(
      5,
      'Distinct secrets or SecureString parameters, not read by the actor in the baseline, retrieved one by one within windowMinutes that make a bulk read.',
    ),
    windowMinutes: countParam(60, 'Sliding window of the one-by-one count, minutes.'),
  },
  needsBaseline: false,
  response: {
    containment: ['Deactivate the credential that retrieved the secrets; revoke its role sessions'],
    recovery: [
      'Rotate every secret and SecureString parameter listed in the finding (and those matching its filters or paths); review where they grant access',
    ],
  },
};

const MAX_ACTORS = 100_000;
const MAX_IDS = 50;
const MAX_SCOPES = 10;
const MAX_USUAL = 200_000;

/** One call's part in a harvest: a bulk call, a read of named secrets, or an enumeration. */
export interface Retrieval {
  kind: 'bulk' | 'named' | 'list';
  /** Secret ids / parameter names the request names. */
  ids: string[];
  /** Filters and paths of a bulk call (`tag-key=x`, `path /prod/`). */
  scopes: string[];
  /** What the baseline must have for a bulk call to be the actor's usual work (a path); null: always counts. */
  usualScope: string | null;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter((s): s is string => s !== null) : []);

/** Secret ids a request names: GetSecretValue's secretId, BatchGetSecretValue's secretIdList. */
export function secretIdsOf(e: TimelineEvent): string[] {
  const p = requestParameters(e);
  const one = str(p.secretId);
  return one ? [one] : strings(p.secretIdList);
}

/** BatchGetSecretValue filters as `key=value,value`. */
function filtersOf(e: TimelineEvent): string[] {
  const f = requestParameters(e).filters;
  if (!Array.isArray(f)) return [];
  return f.slice(0, MAX_SCOPES).map((x) => {
    const o = obj(x) ?? {};
    const values = Array.isArray(o.values) ? o.values.map(String).slice(0, 5).join(',') : '';
    return `filter ${str(o.key) ?? '?'}=${values}`;
  });
}

const named = (ids: string[]): Retrieval => ({ kind: 'named', ids, scopes: [], usualScope: null });
const LIST: Retrieval = { kind: 'list', ids: [], scopes: [], usualScope: null };

/** What a secret-store call retrieves, or null when it retrieves no secret value. */
export function retrievalOf(e: TimelineEvent): Retrieval | null {
  if (!isTrail(e)) return null;
  const p = requestParameters(e);
  if (e.service === 'secretsmanager.amazonaws.com') {
    if (e.action === 'BatchGetSecretValue') return { kind: 'bulk', ids: secretIdsOf(e), scopes: filtersOf(e), usualScope: null };
    if (e.action === 'GetSecretValue') return named(secretIdsOf(e));
    return e.action === 'ListSecrets' ? LIST : null;
  }
  if (e.service !== 'ssm.amazonaws.com') return null;
  if (e.action === 'DescribeParameters') return LIST;
  // Without decryption a SecureString comes back encrypted: not a retrieval of its value.
  if (p.withDecryption !== true && p.withDecryption !== 'true') return null;
  if (e.action === 'GetParameter') return named([str(p.name)].filter((s): s is string => s !== null));
  if (e.action === 'GetParameters') return named(strings(p.names));
  if (e.action !== 'GetParametersByPath') return null;
  const path = str(p.path) ?? '/';
  return { kind: 'bulk', ids: [], scopes: [`path ${path}${p.recursive === true ? ' (recursive)' : ''}`], usualScope: `path:${path}` };
}

/** What one actor did with secrets in the window. */
class Harvest {
  readonly sample = new EventSample();
  /** Secret ids named by the requests (first MAX_IDS); `idCount` counts them all. */
  readonly ids = new Set<string>();
  idCount = 0;
  readonly scopes = new Set<string>();
  readonly bulkCalls = new Map<string, number>();
  readonly lists = new Map<string, number>();
  succeeded = false;
  /** One-by-one reads of secrets new to the actor: [ms, secret id], oldest first, within the window span. */
  recent: [number, string][] = [];
  bulk = false;
  lastOutcome: TimelineEvent | null = null;

  took(e: TimelineEvent, r: Retrieval): void {
    this.sample.add(e);
    this.succeeded ||= e.outcome === 'success';
    this.lastOutcome = e;
    for (const id of r.ids) {
      if (this.ids.has(id)) continue;
      this.idCount++;
      if (this.ids.size < MAX_IDS) this.ids.add(id);
    }
    for (const s of r.scopes) if (this.scopes.size < MAX_SCOPES) this.scopes.add(s);
    if (r.kind === 'bulk') {
      this.bulk = true;
      this.bulkCalls.set(e.action, (this.bulkCalls.get(e.action) ?? 0) + 1);
    }
  }

  /** One-by-one reads: bulk once `threshold` distinct new secrets fall within `spanMs`. */
  named(e: TimelineEvent, fresh: string[], threshold: number, spanMs: number): void {
    const t = Date.parse(e.time);
    for (const id of fresh) if (!this.recent.some(([, x]) => x === id)) this.recent.push([t, id]);
    while (this.recent.length && t - this.recent[0]![0] > spanMs) this.recent.shift();
    // Memory: only the last threshold-many distinct secrets are needed to decide the window.
    if (this.recent.length > threshold) this.recent.splice(0, this.recent.length - threshold);
    if (this.recent.length >= threshold) this.bulk = true;
    this.took(e, named(fresh));
  }

  describe(): string {
    const parts = [...this.bulkCalls].map(
      ([action, n]) => `${action === 'GetParametersByPath' ? 'SecureString parameters' : 'secrets'} in bulk with ${n} ${action} call(s)`,
    );
    if (this.idCount) parts.push(`${this.idCount} named secret(s)`);
    const filters = [...this.scopes].filter((s) => s.startsWith('filter ')).map((s) => s.slice(7));
    const paths = [...this.scopes].filter((s) => s.startsWith('path ')).map((s) => s.slice(5));
    if (filters.length) parts.push(`by filter ${listSome(filters, 3)}`);
    if (paths.length) parts.push(`under ${listSome(paths, 3)}`);
    if (this.lists.size) parts.push(`after ${[...this.lists].map(([a, n]) => `${n} ${a}`).join(' and ')} call(s)`);
    return parts.join(', ');
  }
}

function render(key: string, h: Harvest): Finding {
  const s = h.sample;
  return finding(
    meta,
    s,
    say(meta.messages.bulk, {
      actor: s.first?.actor ?? key,
      what: h.describe(),
      from: s.first?.time,
      to: s.last?.time,
      listed: h.ids.size ? `: ${listSome(h.ids, 10, h.idCount)}` : '',
      attempt: h.succeeded ? '' : attempted(h.lastOutcome!),
    }),
    {
      actorKey: key,
      target: h.ids.size ? [...h.ids][0]! : ([...h.scopes][0] ?? s.first?.service ?? null),
      severity: h.succeeded ? meta.severity : lower(meta.severity),
    },
  );
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
      if (!h && actors.size < MAX_ACTORS) actors.set(key, (h = new Harvest()));
      return h ?? null;
    };
    return {
      event(e) {
        const r = retrievalOf(e);
        if (!r || !doneOrDenied(e) || !seen.firstSighting(requestIdOf(e))) return;
        const key = actorKeyOf(e) ?? '(unknown actor)';
        if (isBaseline(e, ctx)) {
          for (const id of [...(r.kind === 'named' ? r.ids : []), ...(r.usualScope ? [r.usualScope] : [])])
            if (usual.size < MAX_USUAL) usual.add(`${key}|${id}`);
          return;
        }
        if (!inWindow(e, ctx) || isExpected(e, ctx)) return;
        if (r.kind === 'list') {
          const h = harvestOf(key);
          h?.lists.set(e.action, (h.lists.get(e.action) ?? 0) + 1);
          return;
        }
        if (r.kind === 'bulk') {
          if (!r.usualScope || !usual.has(`${key}|${r.usualScope}`)) harvestOf(key)?.took(e, r);
          return;
        }
        const fresh = r.ids.filter((id) => !usual.has(`${key}|${id}`));
        if (fresh.length) harvestOf(key)?.named(e, fresh, ctx.params.distinctSecrets, span);
      },
      finish() {
        const findings = [...actors].filter(([, h]) => h.bulk).map(([key, h]) => render(key, h));
        return { findings, notAssessed: null };
      },
    };
  },
});
