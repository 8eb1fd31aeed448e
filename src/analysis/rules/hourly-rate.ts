// Per-key usage rates: the baseline's average per hour against the busiest hour of the window. Constant memory
// per key (a running total, the current hour and the maximum).
import type { RuleContext } from './types.js';

export const HOUR = 3_600_000;

export interface Rate {
  baselineTotal: number;
  hour: number;
  hourTotal: number;
  maxHour: number;
  maxHourStart: number;
}

export class HourlyRates {
  readonly keys = new Map<string, Rate>();
  private firstBaselineMs: number | null = null;
  constructor(private readonly maxKeys = 100_000) {}

  private get(key: string): Rate | null {
    let r = this.keys.get(key);
    if (!r) {
      if (this.keys.size >= this.maxKeys) return null;
      r = { baselineTotal: 0, hour: -1, hourTotal: 0, maxHour: 0, maxHourStart: 0 };
      this.keys.set(key, r);
    }
    return r;
  }
  baseline(key: string, timeMs: number, amount: number): void {
    this.firstBaselineMs ??= timeMs;
    const r = this.get(key);
    if (r) r.baselineTotal += amount;
  }
  incident(key: string, timeMs: number, amount: number): void {
    const r = this.get(key);
    if (!r) return;
    const h = Math.floor(timeMs / HOUR);
    if (h !== r.hour) {
      r.hour = h;
      r.hourTotal = 0;
    }
    r.hourTotal += amount;
    if (r.hourTotal > r.maxHour) {
      r.maxHour = r.hourTotal;
      r.maxHourStart = h * HOUR;
    }
  }
  /** Hours the baseline covers: the collected lookback, else from the first baseline event to the window start. */
  baselineHours(ctx: Pick<RuleContext, 'baseline' | 'window'>): number {
    const start = ctx.baseline ? Date.parse(ctx.baseline.start) : this.firstBaselineMs;
    const end = ctx.baseline ? Date.parse(ctx.baseline.end) : Date.parse(ctx.window.start);
    if (start === null || !(end > start)) return 0;
    return Math.max(1, (end - start) / HOUR);
  }
}

export const hourLabel = (ms: number): string => new Date(ms).toISOString().slice(0, 13) + ':00Z';
