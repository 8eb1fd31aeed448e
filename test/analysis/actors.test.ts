// Actors: one per credential (temporary keys rolled up to their session), what each did and touched, new-ness
// against the baseline, services and the organisation's own applications said plainly, the suspicious one first.
import { describe, expect, it } from 'vitest';
import { ActorIndex, isSensitive, type FindingRef } from '../../src/analysis/actors.js';
import type { TimelineEvent } from '../../src/analysis/event.js';
import { testEvent } from './helpers.js';

const ACCT = '111122223333';
const LEAKED = 'AKIALEAKED0000000001';
const SESSION = `arn:aws:sts::${ACCT}:assumed-role/Trainer/i-0abc`;
let n = 0;
const ev = (over: Partial<TimelineEvent>): TimelineEvent => {
  n++;
  const ref = { path: 'evidence/t.json', record: n };
  return testEvent({
    time: new Date(Date.UTC(2026, 10, 1, 10, 0, n)).toISOString(),
    evidenceRef: ref,
    evidence: [ref],
    account: ACCT,
    region: 'us-east-1',
    ...over,
  });
};
const leaked = (over: Partial<TimelineEvent> = {}) =>
  ev({
    actorKey: LEAKED,
    accessKeyId: LEAKED,
    principal: `arn:aws:iam::${ACCT}:user/dev`,
    actor: `arn:aws:iam::${ACCT}:user/dev`,
    sourceIp: '198.51.100.23',
    userType: 'IAMUser',
    ...over,
  });
const session = (key: string, over: Partial<TimelineEvent> = {}) =>
  ev({
    actorKey: SESSION,
    accessKeyId: key,
    principal: SESSION,
    actor: SESSION,
    sessionIssuer: `arn:aws:iam::${ACCT}:role/Trainer`,
    sourceIp: '10.0.1.5',
    userType: 'AssumedRole',
    ...over,
  });

function index(events: TimelineEvent[], options: Partial<ConstructorParameters<typeof ActorIndex>[0]> = {}) {
  const ix = new ActorIndex({ hasBaseline: true, ...options });
  for (const e of events) ix.add(e);
  return ix;
}

describe('ActorIndex', () => {
  it('rolls every temporary key of one role session up to the session', () => {
    const [a, ...rest] = index([session('ASIA1'), session('ASIA2'), session('ASIA3')]).summaries();
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      key: SESSION,
      kind: 'role-session',
      accessKeyIds: ['ASIA1', 'ASIA2', 'ASIA3'],
      sessionIssuer: `arn:aws:iam::${ACCT}:role/Trainer`,
      events: 3,
    });
  });

  it('counts actions with errors, distinct objects and bytes read, buckets, changes and sensitive calls', () => {
    const events = [
      leaked({ action: 'GetObject', service: 's3.amazonaws.com', target: 's3://training/a.csv', bytesOut: 100 }),
      leaked({ action: 'GetObject', service: 's3.amazonaws.com', target: 's3://training/a.csv', bytesOut: 100 }),
      leaked({ action: 'GetObject', service: 's3.amazonaws.com', target: 's3://training/b.csv', bytesOut: 50 }),
      leaked({ action: 'GetObject', service: 's3.amazonaws.com', target: 's3://training/c.csv', outcome: 'AccessDenied' }),
      leaked({ action: 'PutObject', service: 's3.amazonaws.com', target: 's3://models/m.tar.gz', bytesIn: 7 }),
      leaked({ action: 'CreateAccessKey', service: 'iam.amazonaws.com', target: 'admin' }),
      leaked({ action: 'ListBuckets', service: 's3.amazonaws.com', detail: { readOnly: true } }),
    ];
    const [a] = index(events).summaries();
    expect(a).toMatchObject({
      key: LEAKED,
      kind: 'access-key',
      events: 7,
      errors: 1,
      read: { objects: 2, bytes: 250, buckets: ['training'] },
      written: { objects: 1, bytes: 7, buckets: ['models'] },
      changedCount: 1,
      sensitiveActions: 1,
    });
    expect(a!.actions.find((x) => x.action === 'GetObject')).toEqual({ service: 's3.amazonaws.com', action: 'GetObject', count: 4, errors: 1 });
    expect(a!.changed).toEqual([expect.objectContaining({ action: 'CreateAccessKey', target: 'admin' })]);
  });

  it.each<[string, TimelineEvent[], boolean, boolean | null, (boolean | null)[]]>([
    ['seen in the baseline from the same IP: not new', [leaked({ phase: 'baseline' }), leaked()], true, false, [false]],
    ['seen in the baseline, now from a new IP', [leaked({ phase: 'baseline', sourceIp: '192.0.2.1' }), leaked()], true, false, [true]],
    ['never seen before: new', [leaked()], true, true, [true]],
    ['no baseline collected: cannot tell', [leaked()], false, null, [null]],
  ])('new-ness: %s', (_name, events, hasBaseline, isNew, ipNew) => {
    const [a] = index(events, { hasBaseline }).summaries();
    expect(a!.new).toBe(isNew);
    expect(a!.sourceIps.map((s) => s.new)).toEqual(ipNew);
    expect(a!.events).toBe(1);
  });

  it.each<[string, TimelineEvent, string, RegExp]>([
    [
      'an AWS service',
      ev({ actorKey: 'config.amazonaws.com', principal: 'config.amazonaws.com', userType: 'AWSService', action: 'ListTags' }),
      'aws-service',
      /AWS service config\.amazonaws\.com/,
    ],
    [
      'a service-linked role',
      ev({
        actorKey: `arn:aws:sts::${ACCT}:assumed-role/AWSServiceRoleForConfig/x`,
        principal: `arn:aws:sts::${ACCT}:assumed-role/AWSServiceRoleForConfig/x`,
        action: 'Describe',
      }),
      'aws-service',
      /service-linked role/,
    ],
    ["the organisation's CI (expected principal prefix)", session('ASIA9'), 'own-application', /own application/],
    ['a leaked key', leaked(), 'credential', /Access key AKIALEAKED0000000001 of arn:aws:iam::111122223333:user\/dev: not seen in the baseline/],
  ])('says what an actor is: %s', (_name, e, cls, note) => {
    const [a] = index([e], { expectedPrincipals: [`arn:aws:iam::${ACCT}:role/Trainer*`] }).summaries();
    expect(a!.class).toBe(cls);
    expect(a!.note).toMatch(note);
  });

  const ips = { expectedIps: ['192.0.2.50'] };
  it.each<[string, TimelineEvent[], Partial<ConstructorParameters<typeof ActorIndex>[0]>, string]>([
    ['a key that only acted from the expected address', [leaked({ sourceIp: '192.0.2.50' })], ips, 'own-application'],
    ['a key that also acted from elsewhere', [leaked({ sourceIp: '192.0.2.50' }), leaked({ sourceIp: '198.51.100.9' })], ips, 'credential'],
    [
      'an address-only actor that is expected',
      [ev({ actorKey: '192.0.2.50', principal: null, accessKeyId: null, sourceIp: '192.0.2.50', action: 'GetObject' })],
      ips,
      'own-application',
    ],
    ['no config: a credential', [leaked({ sourceIp: '192.0.2.50' })], {}, 'credential'],
    [
      'its access key id named as an own application',
      [leaked({ actorKey: `arn:aws:iam::${ACCT}:user/dev` })],
      { expectedPrincipals: ['AKIALEAKED0000000001'] },
      'own-application',
    ],
    ['a prefix that does not cover it', [leaked()], { expectedPrincipals: [`arn:aws:iam::${ACCT}:user/ci-*`] }, 'credential'],
  ])('expected addresses and own applications from the config: %s', (_name, events, options, cls) => {
    const [a] = index(events, options).summaries();
    expect(a!.class).toBe(cls);
  });

  it('ranks the actor with findings and sensitive actions first, services last', () => {
    const events = [
      ...Array.from({ length: 30 }, () =>
        ev({ actorKey: 'config.amazonaws.com', principal: 'config.amazonaws.com', userType: 'AWSService', action: 'ListTags' }),
      ),
      ...Array.from({ length: 20 }, () => session('ASIA1', { phase: 'baseline', action: 'GetObject' })),
      ...Array.from({ length: 20 }, () => session('ASIA1', { action: 'GetObject' })),
      leaked({ action: 'StopLogging', service: 'cloudtrail.amazonaws.com' }),
    ];
    const findings: FindingRef[] = [{ id: 'F-0001', severity: 'critical', actor: `arn:aws:iam::${ACCT}:user/dev` }];
    const ranked = index(events).summaries(findings);
    expect(ranked.map((a) => a.key)).toEqual([LEAKED, SESSION, 'config.amazonaws.com']);
    expect(ranked[0]!.findings).toEqual(['F-0001']);
  });

  it('links flow logs to the actor that used the same IP and to the AI workload ENI', () => {
    const flow = ev({ source: 'flow-log', actorKey: '198.51.100.23', sourceIp: '10.0.1.5', bytesOut: 5000, detail: { interfaceId: 'eni-1' } });
    const [a] = index([leaked(), flow], {
      aiNetwork: new Map([['eni-1', { workloadArn: 'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb', kind: 'notebook-instance' }]]),
    }).summaries();
    expect(a!.network).toEqual({
      flows: 1,
      bytesOut: 5000,
      bytesIn: 0,
      workloads: ['arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb'],
      interfaces: ['eni-1'],
      interfacesOmitted: 0,
    });
  });

  it('resolves KEY, principal ARN or IP to the actor', () => {
    const ix = index([leaked()]);
    expect(ix.resolve(LEAKED)).toBe(LEAKED);
    expect(ix.resolve(`arn:aws:iam::${ACCT}:user/dev`)).toBe(LEAKED);
    expect(ix.resolve('203.0.113.1')).toBeNull();
  });
});

describe('sensitive actions', () => {
  it.each<[string, Partial<TimelineEvent>, boolean]>([
    ['an SSM command pushed into an instance', { service: 'ssm.amazonaws.com', action: 'SendCommand' }, true],
    ['a Windows password handed out', { service: 'ec2.amazonaws.com', action: 'GetPasswordData' }, true],
    ['an SSH key pushed through EC2 Instance Connect', { service: 'ec2-instance-connect.amazonaws.com', action: 'SendSSHPublicKey' }, true],
    ['an API key fetched from the AgentCore token vault', { service: 'bedrock-agentcore.amazonaws.com', action: 'GetResourceApiKey' }, true],
    ['a Roles Anywhere trust anchor created', { service: 'rolesanywhere.amazonaws.com', action: 'CreateTrustAnchor' }, true],
    ['a backup vault deleted', { service: 'backup.amazonaws.com', action: 'DeleteBackupVault' }, true],
    ['a bucket listing', { service: 's3.amazonaws.com', action: 'ListBuckets' }, false],
    ['an instance described', { service: 'ec2.amazonaws.com', action: 'DescribeInstances' }, false],
    [
      'a denied trust-anchor creation is not a change',
      { service: 'rolesanywhere.amazonaws.com', action: 'CreateTrustAnchor', outcome: 'AccessDenied' },
      false,
    ],
  ])('%s', (_name, over, sensitive) => {
    expect(isSensitive(leaked({ source: 'cloudtrail', ...over }))).toBe(sensitive);
  });
});
