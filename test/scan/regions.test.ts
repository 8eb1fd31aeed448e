import { describe, expect, it } from 'vitest';
import { isKnownRegion, unknownRegionMessage } from '../../src/scan/regions.js';

describe('known regions (the SDK partition data)', () => {
  it.each([
    ['us-east-1', true],
    ['eu-central-2', true],
    ['ap-southeast-5', true],
    ['cn-north-1', true],
    ['us-gov-west-1', true],
    ['us-east-9', false],
    ['eu-west-7', false],
    ['aws-global', false],
    ['aws-cn-global', false],
    ['moon-1', false],
  ])('%s -> %s', (name, known) => {
    expect(isKnownRegion(name)).toBe(known);
  });

  it('the message names the flag and the bad value and says what to do', () => {
    expect(unknownRegionMessage('--regions', 'us-east-9')).toMatch(/^--regions: "us-east-9" is not an AWS region .*for example us-east-1.*"all"/);
  });
});
