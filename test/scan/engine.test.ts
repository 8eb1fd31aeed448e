// The engine never turns unread data into a verdict: an inaccessible account, a region whose collection
// failed outright, or a check that throws all end as NOT_ASSESSED with the reason.
import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { defaultParameters } from '../../checks/parameters.js';
import type { Check } from '../../checks/types.js';
import { seen, unseen, type Inventory } from '../../src/model/inventory.js';
import { evaluateInventory } from '../../src/scan/engine.js';
import { unreadRegion } from '../../src/scan/runner.js';
import { emptyAccount } from '../support/inventory-builder.js';

const ACCOUNT = '111111111111';
const inventoryWith = (mutate: (inv: Inventory) => void): Inventory => {
  const account = { ...emptyAccount(ACCOUNT), access: seen({ roleArn: 'arn:aws:iam::111111111111:role/R' }), regionsScanned: ['us-east-1'] };
  const inv: Inventory = { scanId: 's', organization: null, organizationTrails: null, accounts: [account], buckets: {} };
  mutate(inv);
  return inv;
};

describe('engine', () => {
  it('an account with no requested region enabled is NOT_ASSESSED, never ASSESSED with a perfect score', () => {
    const inv = inventoryWith((i) => {
      const a = i.accounts[0]!;
      a.regionsScanned = [];
      a.regionsSkipped = [{ region: 'ap-east-1', reason: 'ap-east-1 is an opt-in region that is not enabled in this account' }];
    });
    const { results, accounts } = evaluateInventory(inv, allChecks, defaultParameters);
    expect(accounts[0]).toMatchObject({ status: 'NOT_ASSESSED', score: null });
    expect(accounts[0]!.reason).toContain('No requested region is enabled in account 111111111111');
    expect(accounts[0]!.reason).toContain('ap-east-1 is an opt-in region that is not enabled');
    const others = results.filter((r) => r.checkId !== 'forensic-role-access');
    expect(others).toHaveLength(allChecks.length - 1);
    for (const r of others) expect([r.checkId, r.status, r.reasonCode]).toEqual([r.checkId, 'NOT_ASSESSED', 'no-region-scanned']);
  });

  it('an account with one region scanned is judged as usual', () => {
    const { accounts, results } = evaluateInventory(
      inventoryWith(() => undefined),
      allChecks,
      defaultParameters,
    );
    expect(accounts[0]!.status).toBe('ASSESSED');
    expect(results.some((r) => r.reasonCode === 'no-region-scanned')).toBe(false);
  });

  it('a region whose collection failed gives NOT_ASSESSED for every regional check, never PASS', () => {
    const inv = inventoryWith((i) => {
      i.accounts[0]!.regions['us-east-1'] = unreadRegion('us-east-1', 'Collector error: boom');
    });
    const { results } = evaluateInventory(inv, allChecks, defaultParameters);
    const regional = results.filter((r) => r.region === 'us-east-1');
    expect(regional.length).toBeGreaterThan(0);
    expect(regional.filter((r) => r.status === 'PASS')).toEqual([]);
    for (const id of ['bedrock-invocation-logging', 'guardduty-enabled', 'config-recorder-ai']) {
      const r = results.find((x) => x.checkId === id && x.region === 'us-east-1');
      expect(r?.status, id).toBe('NOT_ASSESSED');
      expect(r?.reason, id).toContain('boom');
    }
  });

  it('an account whose role could not be assumed: forensic-role-access FAIL, every other check NOT_ASSESSED with the reason', () => {
    const inv = inventoryWith((i) => {
      i.accounts[0]!.access = unseen('Could not assume arn:aws:iam::111111111111:role/R: AccessDenied', 'AccessDenied');
    });
    const { results, accounts } = evaluateInventory(inv, allChecks, defaultParameters);
    expect(results).toHaveLength(allChecks.length);
    expect(results.find((r) => r.checkId === 'forensic-role-access')?.status).toBe('FAIL');
    const others = results.filter((r) => r.checkId !== 'forensic-role-access');
    expect(new Set(others.map((r) => r.status))).toEqual(new Set(['NOT_ASSESSED']));
    expect(others.every((r) => r.reason.includes('AccessDenied'))).toBe(true);
    expect(accounts[0]).toMatchObject({ status: 'NOT_ASSESSED', score: 0 });
  });

  it('a check that throws yields NOT_ASSESSED naming the error, and the other checks still run', () => {
    const broken: Check = {
      ...allChecks[1]!,
      evaluate: () => {
        throw new Error('bug in check');
      },
    };
    const { results } = evaluateInventory(
      inventoryWith(() => {}),
      [allChecks[0]!, broken],
      defaultParameters,
    );
    expect(results.find((r) => r.checkId === broken.meta.id)).toMatchObject({
      status: 'NOT_ASSESSED',
      reason: 'Check failed to evaluate: bug in check',
    });
    expect(results.find((r) => r.checkId === 'forensic-role-access')?.status).toBe('PASS');
  });
});
