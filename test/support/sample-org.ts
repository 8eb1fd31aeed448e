// The sample Organization seeded once per suite, with the proxy reset to its baseline before each test:
// no fault rules, no counted requests, and data-science's forensic role denied.
import { beforeAll, beforeEach } from 'vitest';
import { buildSampleOrganization, denyForensicRole, type SampleOrganization } from '../../demo/sample-org.js';
import type { EmulatorHandle } from './emulator.js';

export interface SampleHandle {
  org: SampleOrganization;
}

export function useSampleOrganization(env: EmulatorHandle): SampleHandle {
  const handle = {} as SampleHandle;
  beforeAll(async () => {
    handle.org = await buildSampleOrganization(env.factory(), env.proxy);
  }, 120_000);
  beforeEach(() => {
    env.proxy.clearRules();
    env.proxy.resetCounters();
    denyForensicRole(env.proxy, handle.org.accounts.dataScience);
  });
  return handle;
}
