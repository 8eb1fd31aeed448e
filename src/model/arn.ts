// ARN partition and fields. The partition follows the Region (aws-cn, aws-us-gov, aws-iso…), never a fixed "aws".

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov' | 'aws-iso' | 'aws-iso-b' | 'aws-iso-e' | 'aws-iso-f' | 'aws-eusc';

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

/** Partition of an account from the Regions scanned in it (all Regions of one account share its partition). */
export function partitionOfRegions(regions: readonly string[], fallbackRegion = 'us-east-1'): Partition {
  return partitionOf(regions[0] ?? fallbackRegion);
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  return {
    partition: parts[1] ?? '',
    service: parts[2] ?? '',
    region: parts[3] ?? '',
    accountId: parts[4] ?? '',
    resource: parts.slice(5).join(':'),
  };
}

/** Field 5 of an ARN: the owning account ('' when absent, as for S3 bucket ARNs). */
export function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}
