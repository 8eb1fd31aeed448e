// Streams timeline events through every rule (ESLint-style visitors) and collects their outcomes. Pure: the
// caller feeds events in timeline order and reads the findings at the end.
import { compareRefs, type TimelineEvent } from './event.js';
import { isKeyEvent } from './rules/key-events.js';
import { mergeOverlapping } from './rules/overlaps.js';
import { lowerBoundsOf, mergeEvidence } from './rules/support.js';
import {
  RULES,
  SEVERITY_ORDER,
  type AnalysisContext,
  type AnyParams,
  type Finding,
  type ParamValue,
  type Rule,
  type RuleVisitor,
} from './rules/index.js';

/** How one rule did on a bundle (findings.json `rules`). */
export interface RuleSummary {
  id: string;
  title: string;
  severity: Finding['severity'];
  element: Finding['element'];
  techniques: string[];
  rationale: string;
  /** Findings of the rule as listed (after merging). */
  findings: number;
  /** Findings of the rule merged into another rule's finding of the same step. */
  merged: number;
  /** Why the rule could not be evaluated on this bundle, when it could not. */
  notAssessed: string | null;
}

export interface RuleRun {
  findings: (Finding & { id: string })[];
  rules: RuleSummary[];
}

/** Rule parameters as given in `analyze --config` (rule id -> param -> value), already validated. */
export type RuleParamOverrides = Readonly<Record<string, Readonly<Record<string, ParamValue>>>>;

/** Defaults of a rule's params, overridden by the config file. */
export function resolveParams(rule: Rule, overrides: RuleParamOverrides = {}): AnyParams {
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(rule.meta.params)) out[name] = spec.default;
  return { ...out, ...(overrides[rule.meta.id] ?? {}) };
}

export class RuleEngine {
  private readonly visitors: { rule: Rule; visitor: RuleVisitor }[];

  constructor(ctx: AnalysisContext, overrides: RuleParamOverrides = {}, rules: readonly Rule[] = RULES) {
    this.visitors = rules.map((rule) => ({ rule, visitor: rule.create({ ...ctx, params: resolveParams(rule, overrides) }) }));
  }

  /** Events must arrive in timeline order (baseline first). */
  event(e: TimelineEvent): void {
    for (const v of this.visitors) v.visitor.event(e);
  }

  /** Findings of one step merged (rules/overlaps.ts), in order of severity, then time, then rule and first evidence; ids F-0001... follow that order. */
  finish(): RuleRun {
    const found: Finding[] = [];
    const notAssessed = new Map<string, string | null>();
    for (const { rule, visitor } of this.visitors) {
      const outcome = visitor.finish();
      found.push(...outcome.findings);
      notAssessed.set(rule.meta.id, outcome.notAssessed);
    }
    const { findings: all, mergedAway } = mergeOverlapping(found);
    const rules: RuleSummary[] = this.visitors.map(({ rule }) => {
      const { id, title, severity, element, techniques, rationale } = rule.meta;
      return {
        id,
        title,
        severity,
        element,
        techniques: [...techniques],
        rationale,
        findings: all.filter((f) => f.ruleId === id).length,
        merged: mergedAway.get(id) ?? 0,
        notAssessed: notAssessed.get(id) ?? null,
      };
    });
    all.sort(
      (a, b) =>
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        (a.time < b.time ? -1 : a.time > b.time ? 1 : 0) ||
        a.ruleId.localeCompare(b.ruleId) ||
        compareRefs(a.events[0]?.ref ?? a.evidence[0] ?? { path: '' }, b.events[0]?.ref ?? b.evidence[0] ?? { path: '' }),
    );
    // Every bounded list of a finding says how much it left out (each evidence record once, at most
    // MAX_FINDING_EVIDENCE listed), and which counts are lower bounds; the tally behind the counts is not an output.
    return {
      findings: all.map(({ tally, lowerBounds: bounds, ...f }, i) => {
        const { evidence, evidenceOmitted, atLeast } = mergeEvidence([{ ...f, tally, lowerBounds: bounds }]);
        const flags = Object.fromEntries((bounds ?? []).map((b) => [b, true]));
        const lowerBounds = lowerBoundsOf({ ...flags, evidenceOmitted: atLeast });
        return {
          id: `F-${String(i + 1).padStart(4, '0')}`,
          ...f,
          accessKeyIdsOmitted: f.accessKeyIdsOmitted ?? 0,
          eventsOmitted: Math.max(0, f.eventCount - f.events.length),
          evidence,
          evidenceOmitted,
          ...(lowerBounds ? { lowerBounds } : {}),
        };
      }),
      rules,
    };
  }
}

/** All events at once (tests, small bundles): the same as streaming them in timeline order. */
export function runRules(
  events: Iterable<TimelineEvent>,
  ctx: AnalysisContext,
  overrides: RuleParamOverrides = {},
  rules: readonly Rule[] = RULES,
): RuleRun {
  const engine = new RuleEngine(ctx, overrides, rules);
  for (const e of events) engine.event(e);
  return engine.finish();
}

/** Whether the report should keep this event in its key-event list (rules themselves see every event). */
export function wantedByAnyRule(event: TimelineEvent): boolean {
  return isKeyEvent(event);
}
