// A check tester in the spirit of ESLint's RuleTester: one table per check, each case an inventory and the
// result expected for one resource (status, reasonCode, a fragment of the reason, optionally severity).
// The table must cover PASS, FAIL, NOT_APPLICABLE and NOT_ASSESSED (unless the check declares it cannot produce
// one), cases must be distinct (same inventory, parameters and resource twice fails), and every result any case
// produces must carry a reasonCode its metadata lists.
import { describe, expect, it } from 'vitest';
import { ENGINE_REASON_CODES, type Check, type CheckParameters, type Finding } from '../../checks/types.js';
import type { Inventory } from '../../src/model/inventory.js';
import { RESULT_STATUSES, type ResultStatus, type Severity } from '../../src/model/scan.js';
import { InventoryBuilder, run } from './inventory-builder.js';

export interface CheckCase {
  name: string;
  inventory: Inventory | InventoryBuilder;
  params?: Partial<CheckParameters>;
  /** Account to evaluate (default: the first). */
  accountId?: string;
  /** Resource ARN of the result under test; default: the run must give exactly one result. */
  resource?: string;
  status: ResultStatus;
  code: string;
  reason?: string;
  severity?: Severity;
}

export interface TesterOptions {
  /** Statuses this check cannot produce, each with why (e.g. forensic-role-access is never NOT_APPLICABLE). */
  impossible?: Partial<Record<ResultStatus, string>>;
}

const build = (i: Inventory | InventoryBuilder): Inventory => (i instanceof InventoryBuilder ? i.build() : i);

function pick(findings: Finding[], c: CheckCase): Finding {
  if (c.resource) {
    const f = findings.find((x) => x.resourceArn === c.resource);
    if (!f) throw new Error(`no result for ${c.resource}; got ${JSON.stringify(findings.map((x) => [x.status, x.resourceArn]))}`);
    return f;
  }
  if (findings.length !== 1)
    throw new Error(
      `expected exactly one result, got ${findings.length}: ${JSON.stringify(findings.map((f) => [f.status, f.resourceArn, f.reason]))}`,
    );
  return findings[0]!;
}

export interface TableProblems {
  missingStatuses: ResultStatus[];
  impossibleExpected: ResultStatus[];
  duplicateNames: string[];
  /** Names of cases that repeat an earlier case's inventory, parameters, account and resource. */
  duplicateCases: string[];
}

/** What is wrong with a table as a table (before any case runs): the tester fails on each. */
export function tableProblems(cases: CheckCase[], options: TesterOptions = {}): TableProblems {
  const covered = new Set(cases.map((c) => c.status));
  const names = cases.map((c) => c.name);
  const keys = cases.map((c) => JSON.stringify([build(c.inventory), c.params ?? {}, c.accountId ?? null, c.resource ?? null]));
  return {
    missingStatuses: RESULT_STATUSES.filter((s) => !covered.has(s) && !options.impossible?.[s]),
    impossibleExpected: (Object.keys(options.impossible ?? {}) as ResultStatus[]).filter((s) => covered.has(s)),
    duplicateNames: names.filter((n, i) => names.indexOf(n) !== i),
    duplicateCases: cases.filter((_c, i) => keys.indexOf(keys[i]!) !== i).map((c) => c.name),
  };
}

export function testCheck(check: Check, cases: CheckCase[], options: TesterOptions = {}): void {
  const listed = { ...(check.meta.reasonCodes ?? {}), ...ENGINE_REASON_CODES } as Record<string, string>;
  describe(`${check.meta.id} (check tester)`, () => {
    it('lists its reason codes, each kebab-case with a meaning', () => {
      const codes = Object.entries(check.meta.reasonCodes ?? {});
      expect(codes.length).toBeGreaterThan(0);
      for (const [code, meaning] of codes) {
        expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(meaning.length).toBeGreaterThan(0);
      }
    });

    it('covers PASS, FAIL, NOT_APPLICABLE and NOT_ASSESSED', () => {
      const { missingStatuses, impossibleExpected } = tableProblems(cases, options);
      expect(missingStatuses, `cases missing for ${missingStatuses.join(', ')}`).toEqual([]);
      expect(impossibleExpected, 'statuses declared impossible but expected by a case').toEqual([]);
    });

    it('has no duplicate cases', () => {
      const { duplicateNames, duplicateCases } = tableProblems(cases, options);
      expect(duplicateNames, 'duplicate case names').toEqual([]);
      expect(duplicateCases, 'cases with the same inventory, parameters and resource').toEqual([]);
    });

    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const findings = run(check, build(c.inventory), c.accountId, c.params);
      for (const f of findings) {
        expect(f.reasonCode, `result without reasonCode: ${f.reason}`).toBeDefined();
        expect(Object.keys(listed), `reasonCode ${f.reasonCode} is not in meta.reasonCodes`).toContain(f.reasonCode);
      }
      const f = pick(findings, c);
      expect(f.status, f.reason).toBe(c.status);
      expect(f.reasonCode, f.reason).toBe(c.code);
      if (c.reason !== undefined) expect(f.reason).toContain(c.reason);
      if (c.severity !== undefined) expect(f.severity ?? check.meta.severity).toBe(c.severity);
    });
  });
}
