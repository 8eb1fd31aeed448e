// RuleTester, as ESLint's: a rule's table of valid cases (no finding) and invalid cases (findings as expected).
// Each table needs at least one of each, and a case that repeats another (same events, context and params) fails.
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../src/analysis/event.js';
import { resolveParams } from '../../../src/analysis/engine.js';
import type { AnalysisContext, Finding, ParamValue, ResponseActionKind, Rule, RuleOutcome } from '../../../src/analysis/rules/index.js';
import { ruleCtx } from '../helpers.js';

export interface ExpectedFinding {
  severity?: Finding['severity'];
  summary?: RegExp;
  actorKey?: string | null;
  target?: string | null;
  eventCount?: number;
  accessKeyIds?: string[];
  /** Kinds of the response actions, in order. */
  actions?: ResponseActionKind[];
}

export interface RuleCase {
  name: string;
  events: TimelineEvent[];
  ctx?: Partial<AnalysisContext>;
  params?: Record<string, ParamValue>;
  /** NOT_ASSESSED reason expected. */
  notAssessed?: RegExp;
}
export interface InvalidCase extends RuleCase {
  findings: ExpectedFinding[];
}

/** Feeds the events in timeline order, as the engine does. */
export function runRule(
  rule: Rule,
  events: readonly TimelineEvent[],
  ctx: Partial<AnalysisContext> = {},
  params: Record<string, ParamValue> = {},
): RuleOutcome {
  const visitor = rule.create({ ...ruleCtx(ctx), params: resolveParams(rule, { [rule.meta.id]: params }) });
  const sorted = [...events].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  for (const e of sorted) visitor.event(e);
  return visitor.finish();
}

const fingerprint = (c: RuleCase): string =>
  JSON.stringify([c.events, c.params ?? {}, Object.entries(c.ctx ?? {}).map(([k, v]) => [k, v instanceof Set || v instanceof Map ? [...v] : v])]);

export function ruleTester(rule: Rule, table: { valid: RuleCase[]; invalid: InvalidCase[] }): void {
  describe(`rule ${rule.meta.id}`, () => {
    it('has a table with at least one valid and one invalid case, none repeated', () => {
      expect(table.valid.length).toBeGreaterThan(0);
      expect(table.invalid.length).toBeGreaterThan(0);
      const all = [...table.valid, ...table.invalid];
      expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
      expect(new Set(all.map(fingerprint)).size).toBe(all.length);
    });
    it.each(table.valid.map((c) => [c.name, c] as const))('valid: %s', (_n, c) => {
      const outcome = runRule(rule, c.events, c.ctx, c.params);
      expect(outcome.findings.map((f) => f.summary)).toEqual([]);
      if (c.notAssessed) expect(outcome.notAssessed).toMatch(c.notAssessed);
      else expect(outcome.notAssessed).toBeNull();
    });
    it.each(table.invalid.map((c) => [c.name, c] as const))('invalid: %s', (_n, c) => {
      const outcome = runRule(rule, c.events, c.ctx, c.params);
      expect(outcome.findings).toHaveLength(c.findings.length);
      c.findings.forEach((want, i) => {
        const got = outcome.findings[i]!;
        expect(got.ruleId).toBe(rule.meta.id);
        expect(got.techniques).toEqual([...rule.meta.techniques]);
        if (want.severity) expect(got.severity).toBe(want.severity);
        if (want.summary) expect(got.summary).toMatch(want.summary);
        if (want.actorKey !== undefined) expect(got.actorKey).toBe(want.actorKey);
        if (want.target !== undefined) expect(got.target).toBe(want.target);
        if (want.eventCount !== undefined) expect(got.eventCount).toBe(want.eventCount);
        if (want.accessKeyIds) expect(got.accessKeyIds).toEqual(want.accessKeyIds);
        if (want.actions) expect(got.actions.map((a) => a.kind)).toEqual(want.actions);
      });
      if (c.notAssessed) expect(outcome.notAssessed).toMatch(c.notAssessed);
    });
  });
}
