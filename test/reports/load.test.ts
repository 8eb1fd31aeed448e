import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScan } from '../../reports/load.js';
import { hostileScan } from './fixtures.js';

describe('loadScan', () => {
  it('reads the legacy "cirt:" investigability keys of older scans as the one CIRT spelling', () => {
    const doc = hostileScan();
    const legacy = {
      ...doc,
      accounts: doc.accounts.map((a) => ({
        ...a,
        investigability: { 'logging-tampering': 'READY', 'cirt:access': 'BLIND', 'cirt:agency': 'PARTIAL' },
      })),
    };
    const file = join(mkdtempSync(join(tmpdir(), 'fs-load-')), 'scan.json');
    writeFileSync(file, JSON.stringify(legacy));
    const loaded = loadScan(file);
    expect(loaded.accounts[0]!.investigability).toEqual({ 'logging-tampering': 'READY', access: 'BLIND', agency: 'PARTIAL' });
  });
});
