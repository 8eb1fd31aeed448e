import { describe, expect, it } from 'vitest';
import { check } from '../../checks/forensic-role-access.js';
import { inventory, MEMBER, only, run, seen, unseen, type AccountBuilder } from '../support/inventory-builder.js';
import { testCheck } from '../support/check-tester.js';
import { unseenInconclusive } from '../../src/model/inventory.js';

const ROOT = `arn:aws:iam::${MEMBER}:root`;

describe('forensic-role-access', () => {
  it('does not require access', () => expect(check.requiresAccess).toBe(false));

  it.each([
    [
      'PASS',
      (a: AccountBuilder) => a.access(seen({ roleArn: `arn:aws:iam::${MEMBER}:role/Forensight` })),
      `arn:aws:iam::${MEMBER}:role/Forensight was assumed`,
    ],
    [
      'FAIL',
      (a: AccountBuilder) => a.access(unseen('AccessDenied: not authorized to perform sts:AssumeRole')),
      'could not be assumed in account 222222222222: AccessDenied',
    ],
    [
      'NOT_ASSESSED',
      (a: AccountBuilder) => a.access(unseen('not attempted')).skipped('account is SUSPENDED'),
      'was not scanned: account is SUSPENDED',
    ],
  ])('%s', (status, setup, fragment) => {
    const f = only(run(check, inventory().account(MEMBER, setup), MEMBER));
    expect(f.status).toBe(status);
    expect(f.resourceArn).toBe(ROOT);
    expect(f.region).toBe('global');
    expect(f.reason).toContain(fragment);
  });

  it('keeps the error code in evidence', () => {
    const f = only(
      run(
        check,
        inventory().account(MEMBER, (a) => a.access(unseen('denied', 'AccessDenied'))),
        MEMBER,
      ),
    );
    expect(f.evidence).toMatchObject({ errorCode: 'AccessDenied' });
  });
});

testCheck(
  check,
  [
    { name: 'PASS assumed', inventory: inventory().account(MEMBER), status: 'PASS', code: 'role-assumed' },
    {
      name: 'FAIL not assumable',
      inventory: inventory().account(MEMBER, (a) => a.access(unseen('AccessDenied'))),
      status: 'FAIL',
      code: 'role-not-assumable',
    },
    {
      name: 'NOT_ASSESSED when AssumeRole timed out',
      inventory: inventory().account(MEMBER, (a) => a.access(unseenInconclusive('TimeoutError on sts:AssumeRole', 'TimeoutError'))),
      status: 'NOT_ASSESSED',
      code: 'role-check-inconclusive',
    },
    {
      name: 'NOT_ASSESSED suspended',
      inventory: inventory().account(MEMBER, (a) => a.skipped('account is SUSPENDED')),
      status: 'NOT_ASSESSED',
      code: 'account-skipped',
    },
  ],
  { impossible: { NOT_APPLICABLE: 'every account in scope is reached through the forensic role' } },
);
