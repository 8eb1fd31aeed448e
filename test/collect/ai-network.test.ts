// Which network interface belongs to which SageMaker workload: a table of interfaces against workloads, with
// the cases that must not be attributed (not SageMaker-managed, other subnet, missing security group) and the
// ambiguous one that must stay a list of candidates instead of a guess.
import type { NetworkInterface } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { attributeInterfaces, looksSageMakerManaged, type AiWorkload } from '../../src/collect/sources/ai-network.js';
import { aiNetworkFileEntries } from '../../src/analysis/bundle-context.js';

const where = { accountId: '111122223333', region: 'us-east-1' };
const arn = (kind: string, name: string) => `arn:aws:sagemaker:us-east-1:111122223333:${kind}/${name}`;
const workloads: AiWorkload[] = [
  {
    arn: arn('endpoint', 'fraud-ep'),
    name: 'fraud-ep',
    kind: 'endpoint',
    subnetIds: ['subnet-a', 'subnet-b'],
    securityGroupIds: ['sg-1'],
    networkInterfaceId: null,
  },
  { arn: arn('endpoint', 'fraud'), name: 'fraud', kind: 'endpoint', subnetIds: ['subnet-a'], securityGroupIds: ['sg-1'], networkInterfaceId: null },
  {
    arn: arn('training-job', 'train-1'),
    name: 'train-1',
    kind: 'training-job',
    subnetIds: ['subnet-c'],
    securityGroupIds: ['sg-2', 'sg-3'],
    networkInterfaceId: null,
  },
  {
    arn: arn('notebook-instance', 'nb'),
    name: 'nb',
    kind: 'notebook-instance',
    subnetIds: ['subnet-c'],
    securityGroupIds: ['sg-2'],
    networkInterfaceId: 'eni-0000000000000000a',
  },
];

const eni = (id: string, over: Partial<NetworkInterface>): NetworkInterface => ({
  NetworkInterfaceId: id,
  SubnetId: 'subnet-a',
  Groups: [{ GroupId: 'sg-1' }],
  PrivateIpAddresses: [{ PrivateIpAddress: '10.0.0.5' }],
  ...over,
});

const table: {
  name: string;
  eni: NetworkInterface;
  expected: { workloadArn: string | null; candidates: string[]; kind: string; matchedBy: string } | null;
}[] = [
  {
    name: "a notebook's own interface, whatever its description",
    eni: eni('eni-0000000000000000a', { SubnetId: 'subnet-c', Groups: [{ GroupId: 'sg-2' }], Description: 'anything' }),
    expected: {
      workloadArn: arn('notebook-instance', 'nb'),
      candidates: [arn('notebook-instance', 'nb')],
      kind: 'notebook-instance',
      matchedBy: 'network-interface-id',
    },
  },
  {
    name: 'description names the endpoint as a whole word (fraud-ep, not fraud)',
    eni: eni('eni-1', { Description: 'SageMaker endpoint fraud-ep' }),
    expected: {
      workloadArn: arn('endpoint', 'fraud-ep'),
      candidates: [arn('endpoint', 'fraud-ep')],
      kind: 'endpoint',
      matchedBy: 'description-names-workload',
    },
  },
  {
    name: 'requester-managed, one workload fits subnet and groups',
    eni: eni('eni-2', { SubnetId: 'subnet-b', RequesterManaged: true, RequesterId: '123456789012' }),
    expected: {
      workloadArn: arn('endpoint', 'fraud-ep'),
      candidates: [arn('endpoint', 'fraud-ep')],
      kind: 'endpoint',
      matchedBy: 'subnet-and-security-groups',
    },
  },
  {
    name: 'two endpoints fit and nothing names one: candidates, no guess',
    eni: eni('eni-3', { RequesterManaged: true }),
    expected: {
      workloadArn: null,
      candidates: [arn('endpoint', 'fraud'), arn('endpoint', 'fraud-ep')].sort(),
      kind: 'endpoint',
      matchedBy: 'subnet-and-security-groups',
    },
  },
  {
    name: 'training job needs all of its groups',
    eni: eni('eni-4', { SubnetId: 'subnet-c', Groups: [{ GroupId: 'sg-3' }, { GroupId: 'sg-2' }], Description: 'SageMaker training' }),
    expected: {
      workloadArn: arn('training-job', 'train-1'),
      candidates: [arn('training-job', 'train-1')],
      kind: 'training-job',
      matchedBy: 'subnet-and-security-groups',
    },
  },
  {
    name: 'missing one of the training job groups: not its interface',
    eni: eni('eni-5', { SubnetId: 'subnet-c', Groups: [{ GroupId: 'sg-3' }], Description: 'SageMaker training' }),
    expected: null,
  },
  {
    name: 'an EC2 instance sharing the subnet and group is not an AI interface',
    eni: eni('eni-6', { Description: 'web server fraud-ep', RequesterManaged: false }),
    expected: null,
  },
  {
    name: 'a SageMaker interface in another subnet is nobody here',
    eni: eni('eni-7', { SubnetId: 'subnet-z', Description: 'SageMaker endpoint fraud-ep' }),
    expected: null,
  },
];

describe('attributeInterfaces', () => {
  for (const row of table) {
    it(row.name, () => {
      const out = attributeInterfaces([row.eni], workloads, where);
      if (!row.expected) expect(out).toEqual([]);
      else
        expect(out).toEqual([
          expect.objectContaining({
            networkInterfaceId: row.eni.NetworkInterfaceId,
            accountId: where.accountId,
            region: where.region,
            privateIpAddresses: ['10.0.0.5'],
            ...row.expected,
          }),
        ]);
    });
  }

  it('SageMaker-managed means requester-managed or naming SageMaker in description or requester', () => {
    expect(looksSageMakerManaged({ RequesterManaged: true })).toBe(true);
    expect(looksSageMakerManaged({ RequesterId: 'sagemaker.amazonaws.com' })).toBe(true);
    expect(looksSageMakerManaged({ Description: 'ENI for SageMaker notebook' })).toBe(true);
    expect(looksSageMakerManaged({ Description: 'web server' })).toBe(false);
  });

  it('analysis reads the file: one workload, or the candidates said as such; junk entries skipped', () => {
    const entries = aiNetworkFileEntries({
      interfaces: [
        { networkInterfaceId: 'eni-1', workloadArn: arn('endpoint', 'a'), candidates: [arn('endpoint', 'a')], kind: 'endpoint' },
        { networkInterfaceId: 'eni-2', workloadArn: null, candidates: [arn('endpoint', 'a'), arn('endpoint', 'b')], kind: 'endpoint' },
        { networkInterfaceId: 7, workloadArn: 'x' },
        'junk',
      ],
    });
    expect(entries).toEqual([
      ['eni-1', { workloadArn: arn('endpoint', 'a'), kind: 'endpoint' }],
      ['eni-2', { workloadArn: `one of ${arn('endpoint', 'a')}, ${arn('endpoint', 'b')}`, kind: 'endpoint' }],
    ]);
    expect(aiNetworkFileEntries({ interfaces: 'no' })).toEqual([]);
  });
});
