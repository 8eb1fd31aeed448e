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

export class CallRecorder {
  readonly calls: RecordedCall[] = [];
  private listeners: ((call: RecordedCall) => void)[] = [];

  record(call: RecordedCall): void {
    this.calls.push(call);
    for (const listener of this.listeners) listener(call);
  }

  onCall(listener: (call: RecordedCall) => void): void {
    this.listeners.push(listener);
  }

  get errorCount(): number {
    return this.calls.filter((c) => !c.ok).length;
  }

  /** "service:Action" pairs, deduplicated and sorted. */
  distinctActions(): string[] {
    return [...new Set(this.calls.map((c) => `${c.service}:${c.action}`))].sort();
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
export function callBudget(calls: readonly RecordedCall[], regionsByAccount: Readonly<Record<string, number>>): CallBudget {
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
