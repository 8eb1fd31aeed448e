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
