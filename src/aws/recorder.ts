// Records every AWS action the tool sends, so a run can prove it stayed read-only and report its call count.

export interface RecordedCall {
  service: string;
  action: string;
  accountId: string;
  region: string;
  ok: boolean;
  /** Short digest of the request parameters: tells a repeated call from a call on another resource or page. */
  inputDigest: string;
  errorCode?: string;
  requestId?: string;
  at: string;
}

/** Strings that repeat across calls (services, actions, accounts, regions, error codes), stored once each. */
class StringTable {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [''];

  id(value: string | undefined): number {
    if (value === undefined) return 0;
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.index.set(value, id);
    }
    return id;
  }
}

const FIELDS = 6; // service, action, account, region, error code, ok
const CHUNK = 4096;

/**
 * The call log of a run, kept compact: an Organization scan makes about 130 calls per account, and one object
 * per call (with its own strings) grew the heap by about 0.15 MB per account. Repeated strings are stored once,
 * the rest in typed columns; `calls` builds the objects on demand (the call log file, tests).
 */
export class CallRecorder {
  private readonly strings = new StringTable();
  private refs = new Uint32Array(CHUNK * FIELDS);
  private times = new Float64Array(CHUNK);
  private readonly digests: string[] = [];
  private readonly requestIds: (string | undefined)[] = [];
  private size = 0;
  private errors = 0;
  private listeners: ((call: RecordedCall) => void)[] = [];

  record(call: RecordedCall): void {
    if (this.size === this.times.length) this.grow();
    const base = this.size * FIELDS;
    const s = this.strings;
    this.refs.set([s.id(call.service), s.id(call.action), s.id(call.accountId), s.id(call.region), s.id(call.errorCode), call.ok ? 1 : 0], base);
    this.times[this.size] = Date.parse(call.at);
    this.digests.push(call.inputDigest);
    this.requestIds.push(call.requestId);
    this.size++;
    if (!call.ok) this.errors++;
    for (const listener of this.listeners) listener(call);
  }

  onCall(listener: (call: RecordedCall) => void): void {
    this.listeners.push(listener);
  }

  /** Calls recorded so far. */
  get count(): number {
    return this.size;
  }

  get errorCount(): number {
    return this.errors;
  }

  /** Every call in the order sent, as new objects (nothing the recorder keeps is shared with the caller). */
  get calls(): RecordedCall[] {
    return [...this.entries()];
  }

  *entries(): Generator<RecordedCall> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }

  /** "service:Action" pairs, deduplicated and sorted. */
  distinctActions(): string[] {
    const v = this.strings.values;
    const pairs = new Set<string>();
    for (let i = 0; i < this.size; i++) pairs.add(`${v[this.refs[i * FIELDS]!]}:${v[this.refs[i * FIELDS + 1]!]}`);
    return [...pairs].sort();
  }

  private at(i: number): RecordedCall {
    const v = this.strings.values;
    const r = this.refs.subarray(i * FIELDS, i * FIELDS + FIELDS);
    const requestId = this.requestIds[i];
    const time = this.times[i]!;
    return {
      inputDigest: this.digests[i]!,
      service: v[r[0]!]!,
      action: v[r[1]!]!,
      accountId: v[r[2]!]!,
      region: v[r[3]!]!,
      ok: r[5] === 1,
      ...(r[4] ? { errorCode: v[r[4]]! } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      at: Number.isNaN(time) ? '' : new Date(time).toISOString(),
    };
  }

  private grow(): void {
    const refs = new Uint32Array(this.refs.length * 2);
    refs.set(this.refs);
    this.refs = refs;
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
  }
}

export interface CallBudget {
  /** Calls made with each account's credentials, divided by the regions scanned in it. */
  perAccountRegion: Record<string, number>;
  /** Calls per account-region by "service:Action", over all the given accounts. */
  byAction: Record<string, number>;
  /** All calls of the given accounts divided by their account-regions. */
  overall: number;
}

/** Calls per account-region of a run, from its recorded call log (the scan budget and the benchmark). */
export function callBudget(calls: Iterable<RecordedCall>, regionsByAccount: Readonly<Record<string, number>>): CallBudget {
  const perAccount = new Map<string, number>();
  const byAction = new Map<string, number>();
  let total = 0;
  for (const c of calls) {
    if (!(c.accountId in regionsByAccount)) continue;
    perAccount.set(c.accountId, (perAccount.get(c.accountId) ?? 0) + 1);
    const key = `${c.service}:${c.action}`;
    byAction.set(key, (byAction.get(key) ?? 0) + 1);
    total++;
  }
  const accountRegions = Object.values(regionsByAccount).reduce((a, b) => a + b, 0) || 1;
  const round = (n: number): number => Math.round(n * 100) / 100;
  return {
    perAccountRegion: Object.fromEntries(
      Object.entries(regionsByAccount).map(([id, regions]) => [id, round((perAccount.get(id) ?? 0) / Math.max(1, regions))]),
    ),
    byAction: Object.fromEntries([...byAction.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, round(n / accountRegions)])),
    overall: round(total / accountRegions),
  };
}
