// Severities, their order and their weights: one definition for the scan, the gate, the reports and analysis.

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Sort key, most severe first (critical 0 … low 3). */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, high: 1, medium: 2, low: 3 };

/** One weighting for the score and for ranking gaps, so the report ranks by what the score counts. */
export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { critical: 10, high: 5, medium: 3, low: 1 };

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** Comparator: most severe first. */
export function bySeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[a] - SEVERITY_RANK[b];
}

/** True when `severity` is `threshold` or more severe (`high` is at or above `medium`). */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] <= SEVERITY_RANK[threshold];
}

/** The most severe of the given severities; null for none. */
export function mostSevere(severities: Iterable<Severity>): Severity | null {
  let best: Severity | null = null;
  for (const s of severities) if (best === null || SEVERITY_RANK[s] < SEVERITY_RANK[best]) best = s;
  return best;
}
