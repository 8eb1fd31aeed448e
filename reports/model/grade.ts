// Letter grades on the 0-100 score.
export type Grade = 'A' | 'B' | 'C' | 'D' | 'F' | 'N/A';

/** Grade thresholds on the 0-100 score: A >= 90, B >= 80, C >= 70, D >= 60, F below 60; N/A when nothing was assessed. */
export const GRADE_THRESHOLDS: ReadonlyArray<{ grade: Exclude<Grade, 'F' | 'N/A'>; min: number }> = [
  { grade: 'A', min: 90 },
  { grade: 'B', min: 80 },
  { grade: 'C', min: 70 },
  { grade: 'D', min: 60 },
];

export function gradeFor(score: number | null | undefined): Grade {
  if (score === null || score === undefined || !Number.isFinite(score)) return 'N/A';
  for (const t of GRADE_THRESHOLDS) if (score >= t.min) return t.grade;
  return 'F';
}

/** Scores and their differences are shown to one decimal. */
export function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
