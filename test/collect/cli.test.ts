import { parse } from 'yaml';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/common.js';
import { parseCollectOptions, parseIsoTime, parseSources, register as registerCollect } from '../../src/cli/collect.js';
import { register as registerRoleTemplate, roleTemplateAction } from '../../src/cli/role-template.js';
import { register as registerVerify, verifyAction } from '../../src/cli/verify.js';
import { COLLECT_IAM_ACTIONS, iamActionsFor, isWriteAction, SCAN_IAM_ACTIONS } from '../../src/collect/iam-actions.js';
import { allowedActions, buildRoleTemplate, policyAllows, renderRoleTemplate } from '../../src/collect/role-template.js';
import { memoryIo } from '../support/cli.js';

const ok = { incident: 'INC-42', start: '2026-11-01T00:00Z', end: '2026-11-03T00:00Z' };
const usage = (raw: Record<string, unknown>) => {
  try {
    parseCollectOptions(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('collect input validation (exit 2 with a message naming the bad value)', () => {
  it('accepts the documented example', () => {
    const p = parseCollectOptions({ ...ok, org: true, roleName: 'ForensightIR', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', out: './evidence' });
    expect(p.window.start.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(p.filter).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    expect(p.sources).toHaveLength(6);
    expect(p.target.roleName).toBe('ForensightIR');
    expect(parseCollectOptions({ ...ok, org: true }).target.roleName).toBe('ForensightCollector');
    expect(parseCollectOptions(ok).target.roleName).toBeUndefined();
  });

  it('times: ISO-8601 with a zone, real dates, start before end', () => {
    expect(usage({ ...ok, start: '2026-11-01' })).toMatch(/--start: "2026-11-01" is not an ISO-8601 time with a zone/);
    expect(usage({ ...ok, start: '2026-02-30T00:00Z' })).toMatch(/"2026-02-30T00:00Z"/);
    expect(usage({ ...ok, end: 'tomorrow' })).toMatch(/--end: "tomorrow"/);
    expect(usage({ ...ok, start: '2026-11-03T00:00Z', end: '2026-11-01T00:00Z' })).toMatch(/must be before --end/);
    expect(usage({ incident: 'INC-1' })).toMatch(/--start is required/);
    expect(parseIsoTime('--start', '2026-11-01T09:30:00+02:00').toISOString()).toBe('2026-11-01T07:30:00.000Z');
  });

  it('incident ids that would be unsafe as a directory name', () => {
    for (const bad of ['../x', 'a/b', '.hidden', '', 'x'.repeat(65), 'INC 42', 'a..b']) expect(usage({ ...ok, incident: bad })).toMatch(/--incident/);
    expect(usage({ start: ok.start, end: ok.end })).toMatch(/--incident is required/);
  });

  it('sources, filters and the evidence bucket URI', () => {
    expect(parseSources('cloudtrail,s3')).toEqual(['cloudtrail', 's3-access-logs', 'model-artifacts']);
    expect(usage({ ...ok, sources: 'cloudtrail,guardduty' })).toMatch(/unknown source "guardduty"/);
    expect(usage({ ...ok, principal: 'bob' })).toMatch(/--principal: "bob"/);
    expect(usage({ ...ok, accessKeyId: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' })).toMatch(/not an access key id/);
    expect(usage({ ...ok, sourceIp: '1.125.222.333' })).toMatch(/--source-ip: "1.125.222.333"/);
    expect(usage({ ...ok, preserveTo: 'https://bucket/x' })).toMatch(/--preserve-to: "https:\/\/bucket\/x"/);
    expect(usage({ ...ok, preserveTo: 's3://Bad_Bucket' })).toMatch(/--preserve-to/);
    expect(usage({ ...ok, retentionDays: '30' })).toMatch(/only applies with --preserve-to/);
    expect(usage({ ...ok, regions: 'mars-1' })).toMatch(/--regions/);
    expect(parseCollectOptions({ ...ok, preserveTo: 's3://evidence-bucket/cases/' }).preserveTo).toEqual({
      bucket: 'evidence-bucket',
      prefix: 'cases',
    });
    expect(
      parseCollectOptions({ ...ok, principal: 'arn:aws:sts::123456789012:assumed-role/App/i-1', sourceIp: '2001:db8::1', aiOnly: true }).filter,
    ).toEqual({
      principal: 'arn:aws:sts::123456789012:assumed-role/App/i-1',
      sourceIp: '2001:db8::1',
      aiOnly: true,
    });
  });

  it('verify needs a directory', async () => {
    await expect(verifyAction('/nonexistent/bundle', {}, memoryIo().io)).rejects.toThrow(/is not a directory/);
  });

  it('each command registers on a commander program', () => {
    const program = new Command();
    const { io } = memoryIo();
    registerCollect(program, io);
    registerVerify(program, io);
    registerRoleTemplate(program, io);
    expect(program.commands.map((c) => c.name())).toEqual(['collect', 'verify', 'role-template']);
    expect(program.commands[0]!.options.map((o) => o.long)).toEqual(
      expect.arrayContaining(['--incident', '--org', '--preserve-to', '--sources', '--access-key-id']),
    );
  });
});

describe('role-template', () => {
  it('prints CloudFormation YAML or JSON with both roles, parameters and a restricted trust policy', async () => {
    const { io, out } = memoryIo();
    expect(await roleTemplateAction({}, io)).toBe(0);
    const doc = parse(out.join('')) as ReturnType<typeof buildRoleTemplate>;
    expect(Object.keys(doc.Parameters)).toEqual([
      'TrustedPrincipalArn',
      'ExternalId',
      'ScanRoleName',
      'CollectRoleName',
      'SecurityHubImportPolicy',
      'HuntTrailBucket',
      'HuntResultsBucket',
      'HuntWorkGroup',
      'HuntDatabase',
    ]);
    for (const role of [doc.Resources.ForensightScanRole, doc.Resources.ForensightCollectRole]) {
      const trust = (
        role.Properties.AssumeRolePolicyDocument as { Statement: { Principal: unknown; Condition: Record<string, Record<string, unknown>> }[] }
      ).Statement[0]!;
      expect(trust.Principal).toEqual({ AWS: { Ref: 'TrustedPrincipalArn' } });
      expect(trust.Condition.StringEquals!['sts:ExternalId']).toEqual({ Ref: 'ExternalId' });
    }
    expect(JSON.parse(renderRoleTemplate('json')).AWSTemplateFormatVersion).toBe('2010-09-09');
    await expect(roleTemplateAction({ format: 'xml' }, io)).rejects.toThrow(UsageError);
  });

  it('grants exactly the tool actions: no wildcards, no writes', () => {
    const t = buildRoleTemplate();
    for (const id of ['ForensightScanRole', 'ForensightCollectRole'] as const) {
      const actions = allowedActions(t, id);
      for (const a of actions) {
        expect(a, `${id} ${a}`).not.toMatch(/\*/);
        expect(isWriteAction(a), `${id} ${a}`).toBe(false);
      }
    }
    expect(new Set(allowedActions(t, 'ForensightCollectRole'))).toEqual(new Set(COLLECT_IAM_ACTIONS));
    expect(new Set(allowedActions(t, 'ForensightScanRole'))).toEqual(new Set(SCAN_IAM_ACTIONS));
    expect(policyAllows(t, 'ForensightCollectRole', 's3:PutObject')).toBe(false);
    expect(policyAllows(t, 'ForensightCollectRole', 'cloudtrail:LookupEvents')).toBe(true);
    expect(policyAllows(t, 'ForensightScanRole', 'cloudtrail:LookupEvents')).toBe(false);
  });

  it('maps SDK command names to IAM actions and classifies writes', () => {
    expect(iamActionsFor('s3', 'ListObjectsV2')).toEqual(['s3:ListBucket']);
    expect(iamActionsFor('s3', 'ListObjectVersions')).toEqual(['s3:ListBucketVersions']);
    expect(iamActionsFor('s3', 'GetObjectLockConfiguration')).toEqual(['s3:GetBucketObjectLockConfiguration']);
    expect(iamActionsFor('s3', 'GetBucketReplication')).toEqual(['s3:GetReplicationConfiguration']);
    expect(iamActionsFor('s3', 'ListBuckets')).toEqual(['s3:ListAllMyBuckets']);
    expect(iamActionsFor('bedrock', 'ListAgents')).toEqual(['bedrock:ListAgents']);
    for (const w of [
      's3:PutObject',
      'sagemaker:CreateEndpoint',
      'cloudtrail:StopLogging',
      'bedrock:DeleteGuardrail',
      'ec2:TagResources',
      'sagemaker:UpdateEndpoint',
      'ec2:StartInstances',
    ])
      expect(isWriteAction(w), w).toBe(true);
    for (const r of ['logs:FilterLogEvents', 'cloudtrail:LookupEvents', 's3:HeadObject', 'sts:AssumeRole']) expect(isWriteAction(r), r).toBe(false);
  });
});
