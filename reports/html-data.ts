// The compact data block of the HTML report: every result, account and trend gap, with each distinct text stored
// once. At 5,000 accounts most of the page's bytes are resource ARNs, reasons and evidence that differ between
// accounts only by the account id, so a text that contains its row's account id is stored once as a template
// (the id replaced by TEMPLATE_MARK) and rebuilt in the page. Evidence is stored per key, so the resource ARN and
// region it repeats are not stored again. Decoding is exact: `decodeText` and `decodeEvidence` mirror the page script.
import type { CheckResult } from '../src/model/scan.js';
import { RESULT_STATUSES, SEVERITIES } from '../src/model/scan.js';
import type { GapRef, ReportModel, TrendView } from './model.js';

/** Stands for the row's account id inside a template. A text that contains it is never templated. */
export const TEMPLATE_MARK = '\u0001';
/** Shorter ids would turn unrelated digits into templates for nothing. */
const MIN_TEMPLATED_ID = 4;

/** Fields per result in the flat `r` array: check, account, region, resource, status, severity, reason, evidence. */
export const RESULT_WIDTH = 8;
/** Fields per trend gap in the flat gap arrays: check, account id, account name, region, resource, severity, why. */
export const GAP_WIDTH = 7;

const READINESS_CODE = { READY: 'R', PARTIAL: 'P', BLIND: 'B', NOT_APPLICABLE: 'N', UNKNOWN: 'U' } as const;

/**
 * A text reference: n >= 0 is s[n]; n < 0 is the template s[-n - 1] with TEMPLATE_MARK replaced by the row's
 * account id.
 */
export type TextRef = number;

export interface ClientData {
  /** String table. */
  s: string[];
  /** [checkId, title] string indices, aligned with model.checks. */
  checks: Array<[number, number]>;
  /** [accountId, name, status(0 ASSESSED/1 NOT_ASSESSED), score|null, coverage, reason, grade] */
  accounts: Array<[number, number, 0 | 1, number | null, number, number, number]>;
  /** Investigability column labels. */
  cols: string[];
  /** One string per account, one character per column (R/P/B/N/U). */
  inv: string[];
  /** Flat results (RESULT_WIDTH each); resource and reason are TextRefs, evidence an index into `e` or -1. */
  r: number[];
  /** Distinct evidence objects: flat [key string index, 0 text | 1 JSON, TextRef] per top-level key. */
  e: number[][];
  /** Trend gaps (GAP_WIDTH each), new, fixed and not confirmed fixed; empty without a previous scan. */
  g: { n: number[]; f: number[]; u: number[] };
}

class StringTable {
  readonly s: string[] = [];
  private readonly index = new Map<string, number>();

  intern(v: string): number {
    let i = this.index.get(v);
    if (i === undefined) {
      i = this.s.length;
      this.s.push(v);
      this.index.set(v, i);
    }
    return i;
  }

  /** A text of a row of `accountId`: stored once as a template when it names the account. */
  text(v: string, accountId: string): TextRef {
    if (accountId.length < MIN_TEMPLATED_ID || !v.includes(accountId) || v.includes(TEMPLATE_MARK)) return this.intern(v);
    return -this.intern(v.split(accountId).join(TEMPLATE_MARK)) - 1;
  }
}

class EvidenceTable {
  readonly e: number[][] = [];
  private readonly index = new Map<string, number>();

  constructor(private readonly strings: StringTable) {}

  add(evidence: CheckResult['evidence'], accountId: string): number {
    if (!evidence || Object.keys(evidence).length === 0) return -1;
    const flat: number[] = [];
    for (const [key, value] of Object.entries(evidence)) {
      if (value === undefined) continue; // JSON.stringify drops it too
      const isText = typeof value === 'string';
      flat.push(this.strings.intern(key), isText ? 0 : 1, this.strings.text(isText ? value : JSON.stringify(value), accountId));
    }
    const k = flat.join(',');
    let i = this.index.get(k);
    if (i === undefined) {
      i = this.e.length;
      this.e.push(flat);
      this.index.set(k, i);
    }
    return i;
  }
}

export function buildClientData(m: ReportModel): ClientData {
  const strings = new StringTable();
  const evidence = new EvidenceTable(strings);
  const intern = (v: string): number => strings.intern(v);
  const checkIndex = new Map(m.checks.map((c, i) => [c.checkId, i]));
  const accountIndex = new Map(m.accounts.map((a, i) => [a.accountId, i]));
  const checks = m.checks.map((c): [number, number] => [intern(c.checkId), intern(c.title)]);
  const accounts = m.accounts.map((a): ClientData['accounts'][number] => [
    intern(a.accountId),
    intern(a.name),
    a.status === 'ASSESSED' ? 0 : 1,
    a.score,
    Math.round(a.coverage * 1000) / 1000,
    intern(a.reason),
    intern(a.grade),
  ]);
  const inv = m.investigability.rows.map((row) => row.cells.map((c) => READINESS_CODE[c] ?? 'U').join(''));
  const statusIdx = new Map<string, number>(RESULT_STATUSES.map((v, i) => [v, i]));
  const r: number[] = new Array<number>(m.results.length * RESULT_WIDTH);
  let k = 0;
  // Results whose account is not in the accounts list still show, under their raw account id.
  for (const res of m.results) {
    let ai = accountIndex.get(res.accountId);
    if (ai === undefined) {
      ai = accounts.length;
      accountIndex.set(res.accountId, ai);
      accounts.push([intern(res.accountId), intern(res.accountId), 1, null, 0, intern('not listed in the scan accounts'), intern('N/A')]);
      inv.push('U'.repeat(m.investigability.columns.length));
    }
    r[k++] = checkIndex.get(res.checkId) ?? 0;
    r[k++] = ai;
    r[k++] = intern(res.region);
    r[k++] = strings.text(res.resourceArn, res.accountId);
    r[k++] = statusIdx.get(res.status) ?? 3;
    r[k++] = severityIndex(res.severity);
    r[k++] = strings.text(res.reason, res.accountId);
    r[k++] = evidence.add(res.evidence, res.accountId);
  }
  return {
    s: strings.s,
    checks,
    accounts,
    cols: m.investigability.columns.map((c) => c.label),
    inv,
    r,
    e: evidence.e,
    g: trendGaps(m.trend, strings),
  };
}

function severityIndex(severity: string): number {
  const i = (SEVERITIES as readonly string[]).indexOf(severity);
  return i < 0 ? 2 : i;
}

function trendGaps(trend: TrendView | null, strings: StringTable): ClientData['g'] {
  const flat = (gaps: Array<GapRef & { why?: string }>): number[] =>
    gaps.flatMap((g) => [
      strings.intern(g.checkId),
      strings.intern(g.accountId),
      strings.intern(g.accountName),
      strings.intern(g.region),
      strings.text(g.resourceArn, g.accountId),
      severityIndex(g.severity),
      g.why === undefined ? -1 : strings.intern(g.why),
    ]);
  if (!trend) return { n: [], f: [], u: [] };
  return { n: flat(trend.newGaps), f: flat(trend.fixedGaps), u: flat(trend.unconfirmedGaps) };
}

// ---------------------------------------------------------------------------------------------------------------
// Decoding, as the page does it (tests and tooling read the data block through these).

export function decodeText(d: Pick<ClientData, 's'>, ref: TextRef, accountId: string): string {
  return ref >= 0 ? d.s[ref]! : d.s[-ref - 1]!.split(TEMPLATE_MARK).join(accountId);
}

/** The evidence object of a result, as scan.json has it (keys in their order). */
export function decodeEvidence(d: Pick<ClientData, 's' | 'e'>, index: number, accountId: string): Record<string, unknown> | null {
  if (index < 0) return null;
  const flat = d.e[index]!;
  const out = Object.create(null) as Record<string, unknown>;
  for (let i = 0; i < flat.length; i += 3) {
    const text = decodeText(d, flat[i + 2]!, accountId);
    out[d.s[flat[i]!]!] = flat[i + 1] === 1 ? JSON.parse(text) : text;
  }
  return out;
}

/** The page script's decoders, the same rules as above in browser JavaScript. */
export const CLIENT_DECODERS = String.raw`
  var MARK = '\u0001';
  function txt(ref, acct) { return ref >= 0 ? S[ref] : S[-ref - 1].split(MARK).join(acct); }
  function evidence(i, acct) {
    if (i < 0) return '';
    var f = D.e[i], o = Object.create(null);
    for (var k = 0; k < f.length; k += 3) { var t = txt(f[k + 2], acct); o[S[f[k]]] = f[k + 1] === 1 ? JSON.parse(t) : t; }
    return JSON.stringify(o);
  }`;
