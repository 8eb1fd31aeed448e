import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { allChecks, checkIds, findCheck, type Check } from '../../checks/index.js';
import { findControl, frameworkCatalogue, frameworks } from '../../checks/frameworks.js';
import { defaultParameters, defaultParametersOf, parameterSpecs, parametersSchema } from '../../checks/parameters.js';
import { SEVERITIES } from '../../src/model/scan.js';

const CHECKS_DIR = fileURLToPath(new URL('../../checks/', import.meta.url));
/** Modules of checks/ that are not checks (the registry, the contract, parameters and the framework catalogue). */
const NOT_CHECKS = new Set(['index.ts', 'types.ts', 'parameters.ts', 'frameworks.ts']);

describe('check catalogue', () => {
  // Like ESLint's rule-file test: the registry is exactly the check modules on disk, each exporting the check
  // its file is named after, so a check cannot be written and forgotten, nor registered twice.
  it('registers exactly the check modules on disk, one per file named by its id', async () => {
    const files = readdirSync(CHECKS_DIR).filter((f) => f.endsWith('.ts') && !NOT_CHECKS.has(f));
    expect(files.length).toBeGreaterThan(0);
    expect([...checkIds].sort()).toEqual(files.map((f) => f.replace(/\.ts$/, '')).sort());
    for (const f of files) {
      const mod = (await import(pathToFileURL(join(CHECKS_DIR, f)).href)) as { check?: Check };
      expect(mod.check?.meta.id, f).toBe(f.replace(/\.ts$/, ''));
      expect(findCheck(mod.check!.meta.id), f).toBe(mod.check);
    }
    expect(new Set(checkIds).size).toBe(checkIds.length);
  });

  it('findCheck finds by id and returns undefined for unknown ids', () => {
    expect(findCheck('guardduty-enabled')?.meta.id).toBe('guardduty-enabled');
    expect(findCheck('nope')).toBeUndefined();
  });

  it('only forensic-role-access runs without access', () => {
    expect(allChecks.filter((c) => c.requiresAccess === false).map((c) => c.meta.id)).toEqual(['forensic-role-access']);
  });

  describe.each(allChecks.map((c) => [c.meta.id, c] as const))('%s', (_id, c) => {
    const m = c.meta;
    it('has complete metadata', () => {
      expect(m.title.length).toBeGreaterThan(10);
      expect(SEVERITIES).toContain(m.severity);
      expect(m.service).toMatch(/^[a-z0-9]+$/);
      expect(m.rationale.length).toBeGreaterThan(60);
      expect(m.risk.length).toBeGreaterThan(30);
      expect(m.remediation.summary.length).toBeGreaterThan(20);
      expect(m.remediation.cli).toMatch(/^aws /);
      expect(['cloudformation', 'terraform']).toContain(m.remediation.iac.kind);
      expect(m.remediation.iac.snippet.split('\n').length).toBeGreaterThan(2);
      expect(m.remediation.docs.length).toBeGreaterThan(0);
      for (const d of m.remediation.docs) expect(d).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    });

    it('cites at least one framework control, all of them in the framework catalogue', () => {
      expect(m.frameworks.length).toBeGreaterThan(0);
      for (const f of m.frameworks) expect(findControl(f.framework, f.control), `${f.framework} ${f.control}`).toBeDefined();
    });

    it('declares only parameters that exist', () => {
      for (const p of m.parameters) expect(Object.keys(parameterSpecs)).toContain(p);
    });

    it('lists its reason codes, kebab-case, each with a meaning', () => {
      const codes = Object.entries(m.reasonCodes);
      expect(codes.length).toBeGreaterThan(0);
      for (const [code, meaning] of codes) {
        expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(meaning.length, code).toBeGreaterThan(10);
      }
    });
  });

  it('every framework control is cited by some check (no dead catalogue entries)', () => {
    const cited = new Set(allChecks.flatMap((c) => c.meta.frameworks.map((f) => `${f.framework}|${f.control}`)));
    const listed = frameworkCatalogue.flatMap((f) => f.controls.map((c) => `${f.id}|${c.id}`));
    expect(listed.filter((x) => !cited.has(x))).toEqual([]);
    expect(Object.keys(frameworks).sort()).toEqual(frameworkCatalogue.map((f) => f.id).sort());
  });
});

describe('parameters', () => {
  it('defaults match the specs', () => {
    expect(Object.keys(parameterSpecs).sort()).toEqual(Object.keys(defaultParameters).sort());
    for (const [k, spec] of Object.entries(parameterSpecs)) expect(defaultParameters[k as keyof typeof defaultParameters], k).toEqual(spec.default);
    expect(defaultParametersOf()).toEqual(defaultParameters);
    expect(defaultParametersOf().requireCaptureModes, "a fresh copy, not the spec's array").not.toBe(parameterSpecs.requireCaptureModes.default);
  });

  it('objectLockMode is an enum of COMPLIANCE and GOVERNANCE', () => {
    expect(parameterSpecs.objectLockMode.schema).toEqual({ type: 'string', enum: ['COMPLIANCE', 'GOVERNANCE'] });
  });

  it('parametersSchema rejects unknown keys', () => {
    expect(parametersSchema()).toMatchObject({ type: 'object', additionalProperties: false });
  });
});
