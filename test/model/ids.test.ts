import { describe, expect, it } from 'vitest';
import { accountOfArn, parseArn, partitionOf, partitionOfRegions } from '../../src/model/arn.js';
import { CIRT_ELEMENT_LABEL, CIRT_ELEMENTS, isCirtElement, toCirtElement } from '../../src/model/cirt.js';
import { atOrAbove, bySeverity, isSeverity, mostSevere, SEVERITIES, SEVERITY_RANK, SEVERITY_WEIGHT } from '../../src/model/severity.js';

describe('partitionOf', () => {
  it.each([
    ['us-east-1', 'aws'],
    ['eu-central-2', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('%s -> %s', (region, partition) => expect(partitionOf(region)).toBe(partition));

  it('an account takes the partition of its Regions', () => {
    expect(partitionOfRegions(['us-gov-east-1', 'us-gov-west-1'])).toBe('aws-us-gov');
    expect(partitionOfRegions([])).toBe('aws');
    expect(partitionOfRegions([], 'cn-north-1')).toBe('aws-cn');
  });
});

describe('ARN fields', () => {
  it('parses the six fields, keeping colons in the resource', () => {
    expect(parseArn('arn:aws-cn:logs:cn-north-1:111122223333:log-group:/a:*')).toEqual({
      partition: 'aws-cn',
      service: 'logs',
      region: 'cn-north-1',
      accountId: '111122223333',
      resource: 'log-group:/a:*',
    });
    expect(parseArn('not:an:arn')).toBeNull();
    expect(accountOfArn('arn:aws:iam::111122223333:role/x')).toBe('111122223333');
    expect(accountOfArn('arn:aws:s3:::bucket')).toBe('');
  });
});

describe('severity order', () => {
  it('ranks most severe first and weighs in the same order', () => {
    expect([...SEVERITIES].sort(bySeverity)).toEqual(['critical', 'high', 'medium', 'low']);
    expect(['low', 'critical', 'medium', 'high'].sort((a, b) => bySeverity(a as never, b as never))).toEqual(['critical', 'high', 'medium', 'low']);
    for (let i = 1; i < SEVERITIES.length; i++) {
      expect(SEVERITY_RANK[SEVERITIES[i - 1]!]).toBeLessThan(SEVERITY_RANK[SEVERITIES[i]!]);
      expect(SEVERITY_WEIGHT[SEVERITIES[i - 1]!]).toBeGreaterThan(SEVERITY_WEIGHT[SEVERITIES[i]!]);
    }
  });
  it('atOrAbove compares against a threshold', () => {
    expect(atOrAbove('critical', 'high')).toBe(true);
    expect(atOrAbove('high', 'high')).toBe(true);
    expect(atOrAbove('medium', 'high')).toBe(false);
  });
  it('mostSevere and isSeverity', () => {
    expect(mostSevere(['low', 'high', 'medium'])).toBe('high');
    expect(mostSevere([])).toBeNull();
    expect(isSeverity('medium')).toBe(true);
    expect(isSeverity('severe')).toBe(false);
  });
});

describe('CIRT elements: one list, one spelling', () => {
  it('lists the seven elements with a label each', () => {
    expect(CIRT_ELEMENTS).toHaveLength(7);
    for (const e of CIRT_ELEMENTS) expect(CIRT_ELEMENT_LABEL[e]).toBeTruthy();
  });
  it('reads the legacy "cirt:" spelling of older scans, and nothing else', () => {
    expect(toCirtElement('cirt:access')).toBe('access');
    expect(toCirtElement('access')).toBe('access');
    expect(toCirtElement('cirt:unknown')).toBeNull();
    expect(toCirtElement('model-tampering')).toBeNull();
    expect(isCirtElement('cirt:access')).toBe(false);
  });
});
