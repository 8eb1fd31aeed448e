import { describe, expect, it } from 'vitest';
import { allChecks, findCheck } from '../../checks/index.js';
import { findControl, frameworkCatalogue, frameworks } from '../../checks/frameworks.js';
import { defaultParameters, parameterSpecs, parametersSchema } from '../../checks/parameters.js';
import { SEVERITIES } from '../../src/model/scan.js';

const DESIGN_IDS = [
  'forensic-role-access',
  'cloudtrail-multi-region-trail',
  'cloudtrail-log-file-validation',
  'cloudtrail-ai-data-events',
  'cloudtrail-ai-bucket-data-events',
  'cloudtrail-bucket-immutable',
  'bedrock-invocation-logging',
  'bedrock-invocation-logging-text',
  'bedrock-invocation-logging-s3',
  'sagemaker-endpoint-data-capture',
  'sagemaker-model-artifact-versioning',
  's3-ai-bucket-access-logging',
  's3-log-bucket-object-lock',
  'vpc-flow-logs-ai',
  'logs-ai-retention',
  'guardduty-enabled',
  'config-recorder-ai',
  'cloudtrail-lake-event-data-store',
];

describe('check catalogue', () => {
  it('has exactly the 18 DESIGN.md checks, in catalogue order, with unique ids', () => {
    expect(allChecks).toHaveLength(18);
    expect(allChecks.map((c) => c.meta.id)).toEqual(DESIGN_IDS);
    expect(new Set(allChecks.map((c) => c.meta.id)).size).toBe(18);
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
    for (const [k, spec] of Object.entries(parameterSpecs)) expect(defaultParameters[k], k).toEqual(spec.default);
    expect(defaultParameters).toEqual({
      minRetentionDays: 365,
      minSamplingPercent: 100,
      objectLockMode: 'COMPLIANCE',
      bucketRoleTagKey: 'forensight:role',
      requireCaptureModes: ['Input', 'Output'],
    });
  });

  it('objectLockMode is an enum of COMPLIANCE and GOVERNANCE', () => {
    expect(parameterSpecs.objectLockMode!.schema).toEqual({ type: 'string', enum: ['COMPLIANCE', 'GOVERNANCE'] });
  });

  it('parametersSchema rejects unknown keys', () => {
    expect(parametersSchema()).toMatchObject({ type: 'object', additionalProperties: false });
  });
});
