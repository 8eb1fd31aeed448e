// Which Regions offer each AI service, from AWS's public SSM parameters: one parameter per Region under
// /aws/service/global-infrastructure/services/<code>/regions, whose value is the Region code. A Region that does
// not offer a service has no endpoint for it: calling it costs a DNS or connection error (retried with backoff)
// and turns a known answer ("nothing of that service can exist there") into NOT_ASSESSED. The scan reads these
// parameters once, with the first account's credentials in one Region, and skips a service's lists where AWS
// does not offer it.
//
// Staleness: AWS adds a Region to a service's parameter when the service launches there, and the scan trusts the
// parameter. A Region missing from it (a launch not yet published) is skipped, so its resources would not be seen.
// Only a parameter that was read and lists at least one Region is trusted: an unread one (denied, error, malformed)
// or an empty one (a service code AWS does not publish) leaves the service called everywhere, as before.
import { GetParametersByPathCommand, SSMClient, type GetParametersByPathCommandOutput } from '@aws-sdk/client-ssm';
import { describeError } from '../aws/errors.js';
import { pages } from '../aws/pages.js';
import { partitionOf } from '../model/arn.js';
import { REGIONAL_SERVICES, type RegionalService } from '../model/inventory.js';
import type { IamAction } from '../model/iam.js';
import { clientFor, type CollectorContext } from './util.js';

/** The IAM actions of the availability read (the role template grants them on the public parameters only). */
export const IAM_ACTIONS: readonly IamAction[] = ['ssm:GetParametersByPath'];

export const AVAILABILITY_PATH = '/aws/service/global-infrastructure/services';

/** The resource ssm:GetParametersByPath needs: public parameters have no account in their ARN. */
export const AVAILABILITY_PARAMETER_RESOURCE = 'arn:${AWS::Partition}:ssm:*::parameter/aws/service/global-infrastructure/*';

/**
 * The Regions where the Systems Manager user guide says the global-infrastructure path can be queried ("Calling
 * public parameters for AWS services, Regions, endpoints ..."); from any other commercial Region, ask us-east-1.
 */
export const AVAILABILITY_QUERY_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ap-east-1',
  'ap-south-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'sa-east-1',
]);

/** At most this many pages per service (10 parameters a page): AWS has about 40 Regions. */
export const MAX_AVAILABILITY_PAGES = 30;
/** A Region code: us-east-1, us-gov-west-1, eusc-de-east-1. */
const REGION_CODE = /^[a-z]{2,4}(-[a-z]{1,12}){1,3}-\d{1,2}$/;

export interface ServiceAvailability {
  /** Region queried. */
  region: string;
  /** The Regions offering each service whose parameter was read and lists at least one Region. */
  offered: Partial<Record<RegionalService, ReadonlySet<string>>>;
  /** Services whose availability is unknown, with why: they are called in every Region. */
  unread: { service: RegionalService; reason: string }[];
}

/** Where to ask: the scan's home Region where the path is served, else us-east-1 (the home Region outside the commercial partition). */
export function availabilityRegion(homeRegion: string): string {
  if (AVAILABILITY_QUERY_REGIONS.has(homeRegion) || partitionOf(homeRegion) !== 'aws') return homeRegion;
  return 'us-east-1';
}

/** The services known not to be offered in `region`; none when availability is unknown. */
export function notOfferedIn(availability: ServiceAvailability | undefined, region: string): RegionalService[] {
  if (!availability) return [];
  return REGIONAL_SERVICES.filter((service) => {
    const regions = availability.offered[service];
    return regions !== undefined && !regions.has(region);
  });
}

/** Availability that could not be read at all: every service is called in every Region. */
export function unreadAvailability(region: string, reason: string): ServiceAvailability {
  return { region, offered: {}, unread: REGIONAL_SERVICES.map((service) => ({ service, reason })) };
}

/** The scan's notes: why a service's availability is unknown, once per reason. */
export function availabilityNotes(availability: ServiceAvailability): string[] {
  const byReason = new Map<string, RegionalService[]>();
  for (const { service, reason } of availability.unread) byReason.set(reason, [...(byReason.get(reason) ?? []), service]);
  return [...byReason].map(
    ([reason, services]) => `Service availability not known for ${services.join(', ')} (${reason}): their lists were called in every scanned Region.`,
  );
}

export interface AvailabilityContext extends Omit<CollectorContext, 'region'> {
  /** The scan's home Region (see availabilityRegion). */
  homeRegion: string;
}

/** Reads every service's parameter (paginated, bounded). Never throws: a failure leaves that service unknown. */
export async function readServiceAvailability(
  ctx: AvailabilityContext,
  services: readonly RegionalService[] = REGIONAL_SERVICES,
): Promise<ServiceAvailability> {
  const region = availabilityRegion(ctx.homeRegion);
  const ssm = clientFor({ ...ctx, region }, SSMClient);
  const availability: ServiceAvailability = { region, offered: {}, unread: [] };
  await Promise.all(
    services.map(async (service) => {
      try {
        const regions = await readService(ssm, service, ctx.pageSize);
        if (regions.size === 0) availability.unread.push({ service, reason: `AWS publishes no Regions under ${AVAILABILITY_PATH}/${service}` });
        else availability.offered[service] = regions;
      } catch (error) {
        availability.unread.push({
          service,
          reason: error instanceof AvailabilityError ? error.message : describeError(error, 'ssm:GetParametersByPath'),
        });
      }
    }),
  );
  availability.unread.sort((a, b) => services.indexOf(a.service) - services.indexOf(b.service));
  return availability;
}

class AvailabilityError extends Error {}

async function readService(ssm: SSMClient, service: RegionalService, pageSize: number | undefined): Promise<Set<string>> {
  const path = `${AVAILABILITY_PATH}/${service}/regions`;
  const regions = new Set<string>();
  let read = 0;
  let last: GetParametersByPathCommandOutput | undefined;
  const next = (page: GetParametersByPathCommandOutput) => page.NextToken || undefined;
  for await (const page of pages((NextToken) => ssm.send(new GetParametersByPathCommand({ Path: path, NextToken, MaxResults: pageSize })), next)) {
    for (const p of page.Parameters ?? []) {
      const value = p.Value ?? '';
      // A value that is not a Region code, or a name that is not <path>/<value>, is not AWS's list: trust none of it.
      if (!REGION_CODE.test(value) || p.Name !== `${path}/${value}`) throw new AvailabilityError(`a parameter under ${path} is not a Region code`);
      regions.add(value);
    }
    last = page;
    // Stop before asking for a page past the bound.
    if (++read >= MAX_AVAILABILITY_PAGES && next(page) !== undefined)
      throw new AvailabilityError(`${path} has more than ${MAX_AVAILABILITY_PAGES} pages`);
  }
  // pages() stops at a repeated token: the list is then incomplete, and a Region missing from it would be skipped.
  if (last && next(last) !== undefined) throw new AvailabilityError(`${path} repeated its page token`);
  return regions;
}
