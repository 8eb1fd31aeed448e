// Edge cases of the selector evaluator that the check tables do not reach directly.
import { describe, expect, it } from 'vitest';
import { dataEventCoverage, fieldMatches, managementCoverage, type Coverage, type DataResource } from '../../checks/lib/selectors.js';
import type { AdvancedFieldSelector, TrailSelectors } from '../../src/model/inventory.js';

const bucketRes: DataResource = { kind: 'prefix', type: 'AWS::S3::Object', prefix: 'arn:aws:s3:::b/' };
const adv = (...fs: AdvancedFieldSelector[]): TrailSelectors => ({
  classic: [],
  advanced: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }, ...fs] }],
});

describe('fieldMatches', () => {
  it.each<[AdvancedFieldSelector, string, boolean]>([
    [{ field: 'x', equals: ['a'] }, 'a', true],
    [{ field: 'x', equals: ['a'] }, 'b', false],
    [{ field: 'x', startsWith: ['ab'], notEquals: ['abc'] }, 'abd', true],
    [{ field: 'x', startsWith: ['ab'], notEquals: ['abc'] }, 'abc', false],
    [{ field: 'x', endsWith: ['z'] }, 'xyz', true],
    [{ field: 'x', notEndsWith: ['z'] }, 'xyz', false],
    [{ field: 'x', notStartsWith: ['q'] }, 'xyz', true],
  ])('%j on %s -> %s', (fs, v, expected) => expect(fieldMatches(fs, v)).toBe(expected));
});

describe('dataEventCoverage for all objects of bucket b', () => {
  it.each<[string, TrailSelectors, Coverage, Coverage]>([
    ['no ARN restriction', adv(), 'all', 'all'],
    ['StartsWith arn:aws:s3:::b (no slash) covers b/', adv({ field: 'resources.ARN', startsWith: ['arn:aws:s3:::b'] }), 'all', 'all'],
    ['StartsWith arn:aws:s3:::b/logs/ is partial', adv({ field: 'resources.ARN', startsWith: ['arn:aws:s3:::b/logs/'] }), 'partial', 'partial'],
    ['Equals one object is partial', adv({ field: 'resources.ARN', equals: ['arn:aws:s3:::b/key'] }), 'partial', 'partial'],
    ['EndsWith .tar.gz is partial', adv({ field: 'resources.ARN', endsWith: ['.tar.gz'] }), 'partial', 'partial'],
    ['NotStartsWith b/tmp/ is partial', adv({ field: 'resources.ARN', notStartsWith: ['arn:aws:s3:::b/tmp/'] }), 'partial', 'partial'],
    ['readOnly false only', adv({ field: 'readOnly', equals: ['false'] }), 'none', 'all'],
    ['eventName NotEquals is partial', adv({ field: 'eventName', notEquals: ['GetObjectAcl'] }), 'partial', 'partial'],
    [
      'classic bucket without slash',
      { classic: [{ readWriteType: 'ReadOnly', dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::b'] }] }], advanced: [] },
      'all',
      'none',
    ],
    [
      'classic other bucket with same prefix',
      { classic: [{ dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::bb/'] }] }], advanced: [] },
      'none',
      'none',
    ],
  ])('%s', (_n, selectors, read, write) => {
    expect(dataEventCoverage(selectors, bucketRes, true)).toBe(read);
    expect(dataEventCoverage(selectors, bucketRes, false)).toBe(write);
  });
});

describe('managementCoverage', () => {
  it('a Data selector does not count as management events', () => {
    expect(managementCoverage(adv())).toMatchObject({ read: false, write: false });
  });
  it('empty selectors (moto only; AWS always has one) are never taken as all management events', () => {
    expect(managementCoverage({ classic: [], advanced: [] })).toMatchObject({ read: false, write: false });
  });
});
