// The check tester's own table checks: a table that repeats a case, or lacks a status, must fail the tester.
import { describe, expect, it } from 'vitest';
import { tableProblems, type CheckCase } from '../support/check-tester.js';
import { inventory, logGroup } from '../support/inventory-builder.js';

const withGroup = (retention: number | null) =>
  inventory().region('us-east-1', (r) => r.logGroups([logGroup('/aws/sagemaker/Endpoints/a', retention)]));

const COMPLETE: CheckCase[] = [
  { name: 'pass', inventory: withGroup(365), status: 'PASS', code: 'retention-ok' },
  { name: 'fail', inventory: withGroup(30), status: 'FAIL', code: 'retention-too-short' },
  { name: 'n/a', inventory: inventory(), status: 'NOT_APPLICABLE', code: 'no-log-groups' },
  { name: 'unread', inventory: withGroup(null), params: { minRetentionDays: 1 }, status: 'NOT_ASSESSED', code: 'not-readable' },
];

describe('check tester table checks', () => {
  it('a complete table of distinct cases has no problem', () => {
    expect(tableProblems(COMPLETE)).toEqual({ missingStatuses: [], impossibleExpected: [], duplicateNames: [], duplicateCases: [] });
  });

  it('two identical cases (same inventory, parameters and resource, even under another name) fail the tester', () => {
    const copy = { ...COMPLETE[1]!, name: 'fail again' };
    expect(tableProblems([...COMPLETE, copy]).duplicateCases).toEqual(['fail again']);
    // An inventory built twice from the same builder calls is the same case.
    expect(tableProblems([...COMPLETE, { ...COMPLETE[0]!, name: 'pass rebuilt', inventory: withGroup(365) }]).duplicateCases).toEqual([
      'pass rebuilt',
    ]);
  });

  it('the same inventory with other parameters or another resource is a different case', () => {
    const other = { ...COMPLETE[1]!, name: 'fail, lower minimum', params: { minRetentionDays: 30 } };
    const resource = {
      ...COMPLETE[1]!,
      name: 'fail, named resource',
      resource: 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/sagemaker/Endpoints/a',
    };
    expect(tableProblems([...COMPLETE, other, resource]).duplicateCases).toEqual([]);
  });

  it('a repeated case name fails the tester', () => {
    expect(tableProblems([...COMPLETE, { ...COMPLETE[2]!, name: 'pass', params: { minRetentionDays: 2 } }]).duplicateNames).toEqual(['pass']);
  });

  it('a table without a NOT_ASSESSED case fails the tester, unless the check declares it impossible', () => {
    const noUnread = COMPLETE.filter((c) => c.status !== 'NOT_ASSESSED');
    expect(tableProblems(noUnread).missingStatuses).toEqual(['NOT_ASSESSED']);
    expect(tableProblems(noUnread, { impossible: { NOT_ASSESSED: 'always readable' } }).missingStatuses).toEqual([]);
    expect(tableProblems(COMPLETE, { impossible: { NOT_ASSESSED: 'always readable' } }).impossibleExpected).toEqual(['NOT_ASSESSED']);
  });
});
