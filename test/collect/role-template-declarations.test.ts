// The role template is built from the IAM declarations beside the code that calls AWS: every module that sends
// an SDK command declares the actions those commands need, and each role is exactly the union of the
// declarations of the modules its command reaches AWS through.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECT_IAM_DECLARATIONS, iamActionsFor, SCAN_IAM_DECLARATIONS } from '../../src/collect/iam-actions.js';
import { allowedActions, buildRoleTemplate } from '../../src/collect/role-template.js';
import { HUNT_CALLED_ACTIONS } from '../../src/hunt/policy.js';
import { unionOfActions, type IamAction } from '../../src/model/iam.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** SDK package -> IAM service prefix (the same naming the call recorder uses, src/aws/clients.ts serviceOf). */
const PACKAGE_PREFIX: Record<string, string> = {
  'client-athena': 'athena',
  'client-bedrock': 'bedrock',
  'client-bedrock-agent': 'bedrock',
  'client-bedrock-agentcore-control': 'bedrock-agentcore',
  'client-cloudtrail': 'cloudtrail',
  'client-cloudwatch-logs': 'logs',
  'client-config-service': 'config',
  'client-ec2': 'ec2',
  'client-glue': 'glue',
  'client-guardduty': 'guardduty',
  'client-organizations': 'organizations',
  'client-qbusiness': 'qbusiness',
  'client-s3': 's3',
  'client-sagemaker': 'sagemaker',
  'client-securityhub': 'securityhub',
  'client-ssm': 'ssm',
  'client-sts': 'sts',
};

/** Needs no permission: "No permissions are required to perform this operation" (STS API reference). */
const NO_PERMISSION_NEEDED = new Set(['sts:GetCallerIdentity']);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The IAM actions of the SDK commands a source file sends (`new XCommand(`), by the package each is imported from. */
export function commandsSent(source: string): { command: string; actions: string[] }[] {
  const packageOf = new Map<string, string>();
  for (const m of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/([a-z0-9-]+)'/g)) {
    for (const name of m[1]!.split(',')) packageOf.set(name.trim().replace(/^type\s+/, ''), m[2]!);
  }
  return [...new Set([...source.matchAll(/new ([A-Z][A-Za-z0-9]*)Command\(/g)].map((m) => m[1]!))].map((name) => {
    const pkg = packageOf.get(`${name}Command`) ?? 'unknown';
    const prefix = PACKAGE_PREFIX[pkg] ?? `unknown-package(${pkg})`;
    return { command: `${name}Command`, actions: iamActionsFor(prefix, name) };
  });
}

/** Every exported `*IAM_ACTIONS` list of a module. */
async function declaredBy(file: string): Promise<Set<string>> {
  const mod = (await import(join(ROOT, file))) as Record<string, unknown>;
  return new Set(
    Object.entries(mod)
      .filter(([name, value]) => name.endsWith('IAM_ACTIONS') && Array.isArray(value))
      .flatMap(([, value]) => value as string[]),
  );
}

/** A module's own `IAM_ACTIONS`: what the role its command runs under needs (other lists are for other principals). */
async function roleActionsOf(file: string): Promise<IamAction[]> {
  const mod = (await import(join(ROOT, file))) as { IAM_ACTIONS?: IamAction[] };
  return [...(mod.IAM_ACTIONS ?? [])];
}

const rel = (file: string): string => relative(ROOT, join(ROOT, file)).split('\\').join('/');

describe('IAM declarations beside the calls', () => {
  it('finds the commands a module sends and maps them to IAM names', () => {
    const sample = [
      "import { GetObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';",
      "import { ListAgentsCommand } from '@aws-sdk/client-bedrock-agent';",
      'await s3.send(new GetObjectLockConfigurationCommand({ Bucket }));',
      'await agent.send(new ListAgentsCommand({}));',
    ].join('\n');
    expect(commandsSent(sample)).toEqual([
      { command: 'GetObjectLockConfigurationCommand', actions: ['s3:GetBucketObjectLockConfiguration'] },
      { command: 'ListAgentsCommand', actions: ['bedrock:ListAgents'] },
    ]);
    expect(commandsSent("import { FooCommand } from '@aws-sdk/client-nosuch';\nnew FooCommand({})")[0]!.actions[0]).toMatch(/^unknown-package/);
  });

  it('every module under src/ that sends an AWS command declares the IAM action of each command', async () => {
    const files = sourceFiles('src');
    const missing: string[] = [];
    let sending = 0;
    for (const file of files) {
      const sent = commandsSent(readFileSync(join(ROOT, file), 'utf8'));
      if (sent.length === 0) continue;
      sending++;
      const declared = await declaredBy(file);
      for (const { command, actions } of sent) {
        // The first action is the one the command always needs; GetObject's s3:GetObjectVersion only with a VersionId.
        const needed = actions[0]!;
        if (!declared.has(needed) && !NO_PERMISSION_NEEDED.has(needed)) missing.push(`${rel(file)}: ${command} needs ${needed}`);
      }
    }
    expect(sending).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('the scan role is exactly the union of the declarations of account discovery and every inventory collector', async () => {
    const inventory = sourceFiles('src/inventory').filter((f) => commandsSent(readFileSync(join(ROOT, f), 'utf8')).length > 0);
    const modules = ['src/aws/credentials.ts', 'src/aws/organization.ts', 'src/aws/regions.ts', ...inventory.map(rel)];
    expect(Object.keys(SCAN_IAM_DECLARATIONS).sort()).toEqual(modules.sort());
    const union = unionOfActions(...(await Promise.all(modules.map(roleActionsOf))));
    const granted = allowedActions(buildRoleTemplate(), 'ForensightScanRole');
    expect([...granted].sort()).toEqual(union);
    expect(new Set(granted).size).toBe(granted.length);
  });

  it('ssm:GetParametersByPath (which Regions offer a service) is granted to the scan role on the public parameters only', () => {
    const template = buildRoleTemplate();
    const statementsOf = (role: 'ForensightScanRole' | 'ForensightCollectRole') =>
      template.Resources[role].Properties.Policies.flatMap((p) => p.PolicyDocument.Statement);
    const ssm = statementsOf('ForensightScanRole').filter((s) => s.Action.some((a) => a.startsWith('ssm:')));
    expect(ssm).toEqual([
      {
        Sid: 'ForensightSsmRead',
        Effect: 'Allow',
        Action: ['ssm:GetParametersByPath'],
        Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:*::parameter/aws/service/global-infrastructure/*' },
      },
    ]);
    expect(
      statementsOf('ForensightCollectRole')
        .flatMap((s) => s.Action)
        .filter((a) => a.startsWith('ssm:')),
    ).toEqual([]);
  });

  it('the collection role is exactly the union of the declarations of discovery, the collector and every collect source', async () => {
    const sources = sourceFiles('src/collect/sources').filter((f) => commandsSent(readFileSync(join(ROOT, f), 'utf8')).length > 0);
    const modules = ['src/aws/credentials.ts', 'src/aws/organization.ts', 'src/aws/regions.ts', 'src/collect/collector.ts', ...sources.map(rel)];
    expect(Object.keys(COLLECT_IAM_DECLARATIONS).sort()).toEqual(modules.sort());
    const union = unionOfActions(...(await Promise.all(modules.map(roleActionsOf))));
    const granted = allowedActions(buildRoleTemplate(), 'ForensightCollectRole');
    expect([...granted].sort()).toEqual(union);
    expect(new Set(granted).size).toBe(granted.length);
    // The caller's sts:AssumeRole is declared apart and granted to neither member role.
    expect(granted).not.toContain('sts:AssumeRole');
  });

  it('the separate hunt policy grants what the hunt declares, plus only what Athena does with the caller’s credentials', async () => {
    const declared = unionOfActions(...(await Promise.all(['src/hunt/athena.ts', 'src/hunt/lake.ts', 'src/hunt/collect.ts'].map(roleActionsOf))));
    expect(unionOfActions(HUNT_CALLED_ACTIONS.athena, HUNT_CALLED_ACTIONS.lake, HUNT_CALLED_ACTIONS.collect)).toEqual(declared);
    const policy = buildRoleTemplate().Resources.ForensightHuntPolicy as { Properties: { PolicyDocument: { Statement: { Action: string[] }[] } } };
    const granted = new Set(policy.Properties.PolicyDocument.Statement.flatMap((s) => s.Action));
    expect(declared.filter((a) => !granted.has(a))).toEqual([]);
    // Athena reads the table's Glue metadata and the trail, and writes its results, as the caller.
    const athenaOnBehalf = [
      'glue:GetDatabase',
      'glue:GetTable',
      's3:ListBucket',
      's3:PutObject',
      's3:AbortMultipartUpload',
      's3:ListMultipartUploadParts',
    ];
    expect([...granted].filter((a) => !declared.includes(a as IamAction)).sort()).toEqual(athenaOnBehalf.sort());
  });
});
