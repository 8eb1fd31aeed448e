// Runs the rules over the retained events. Pure.
import { compareRefs, type TimelineEvent } from './event.js';
import { RULES, SEVERITY_ORDER, type Finding, type Rule, type RuleContext } from './rules/index.js';

export interface RuleOutcome {
  id: string;
  title: string;
  severity: Finding['severity'];
  element: Finding['element'];
  rationale: string;
  findings: number;
  /** Why the rule could not be evaluated on this bundle, when it could not. */
  notAssessed: string | null;
}

export interface RuleRun {
  findings: (Finding & { id: string })[];
  rules: RuleOutcome[];
}

export function wantedByAnyRule(event: TimelineEvent, rules: readonly Rule[] = RULES): boolean {
  return rules.some((r) => r.wants(event));
}

/** Findings in order of severity, then time, then rule and first evidence; ids F-0001... follow that order. */
export function runRules(events: readonly TimelineEvent[], ctx: RuleContext, rules: readonly Rule[] = RULES): RuleRun {
  const all: Finding[] = [];
  const outcomes: RuleOutcome[] = [];
  for (const rule of rules) {
    const wanted = events.filter((e) => rule.wants(e));
    const found = rule.match(wanted, ctx);
    all.push(...found);
    outcomes.push({ ...rule.meta, findings: found.length, notAssessed: rule.coverage?.(wanted, ctx) ?? null });
  }
  all.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.time < b.time ? -1 : a.time > b.time ? 1 : 0) ||
      a.ruleId.localeCompare(b.ruleId) ||
      compareRefs(a.events[0]?.ref ?? a.evidence[0] ?? { path: '' }, b.events[0]?.ref ?? b.evidence[0] ?? { path: '' }),
  );
  return {
    findings: all.map((f, i) => ({ id: `F-${String(i + 1).padStart(4, '0')}`, ...f })),
    rules: outcomes,
  };
}
