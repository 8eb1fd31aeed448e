// Which region names exist. A name that matches the shape of a region but is none (us-east-9, eu-west-7) would
// otherwise be "scanned" as nothing and give the account a perfect score, so it is refused before any work.
// The list is the SDK's partition data (aws, aws-cn, aws-us-gov, ISO, EUSC), which ships with the SDK version
// this build uses; each account's DescribeRegions then decides which of the known ones are enabled
// (src/aws/regions.ts planRegions), and an account with none of them enabled is NOT_ASSESSED (src/scan/engine.ts).
import { partition } from '@aws-sdk/core/client';

/** Is `name` a region listed in the SDK's partition data (not a pseudo-region such as aws-global)? */
export function isKnownRegion(name: string): boolean {
  if (name.endsWith('-global')) return false;
  const info = partition(name) as { description?: unknown };
  return typeof info.description === 'string';
}

/** The message for a region name that is none, naming it and what to do. */
export function unknownRegionMessage(flag: string, name: string): string {
  return `${flag}: "${name}" is not an AWS region (no partition lists it; check the spelling, for example us-east-1), or use "all" to scan every region enabled in each account.`;
}
