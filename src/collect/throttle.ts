// Request pacing: a token bucket per key (LookupEvents allows 2 requests per second per account and region)
// and a retry loop for throttling errors that the pacing did not prevent.
import { classifyError } from '../aws/errors.js';

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** At most `ratePerSecond` takes per second, evenly spaced (capacity 1: no bursts above the limit). */
export class TokenBucket {
  private nextFree = 0;

  constructor(
    readonly ratePerSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {}

  async take(): Promise<void> {
    const interval = 1000 / this.ratePerSecond;
    const t = this.now();
    const at = Math.max(t, this.nextFree);
    this.nextFree = at + interval;
    if (at > t) await this.sleep(at - t);
  }
}

export class RateLimiters {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {}

  for(key: string): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(this.ratePerSecond, this.now, this.sleep)));
    return bucket;
  }
}

export interface RetryOptions {
  retries: number;
  baseDelayMs: number;
  sleep?: Sleep;
  onRetry?: (attempt: number, error: unknown) => void;
}

/** Retries a call that failed with throttling, with exponential backoff and jitter; other errors pass through. */
export async function retryThrottled<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (classifyError(error) !== 'throttled' || attempt >= options.retries) throw error;
      options.onRetry?.(attempt + 1, error);
      const delay = options.baseDelayMs * 2 ** attempt;
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}
