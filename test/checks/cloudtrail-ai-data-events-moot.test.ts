// Which AI listings the scan may leave unsent (mootListings), and the verdict of a type whose listing was not sent:
// a listing is moot only where every type it feeds is selected type-wide, read and write, by a recorder covering
// the region whose status and selectors were read and that reports no delivery problem.
import { describe, expect, it } from 'vitest';
import { AI_DATA_EVENT_TYPES, check, LISTING_MOOT, mootListings } from '../../checks/cloudtrail-ai-data-events.js';
import { AI_RESOURCE_LISTINGS, type AdvancedEventSelector, type AiResourceListing, type TrailInfo } from '../../src/model/inventory.js';
import { scoreResults } from '../../src/scan/scoring.js';
import type { CheckResult } from '../../src/model/scan.js';
import {
  advanced,
  dataSelector,
  eventDataStore,
  forResource,
  goneBucket,
  inventory,
  MEMBER,
  mgmtSelector,
  REGION,
  run,
  seen,
  trail,
  unseen,
} from '../support/inventory-builder.js';

const OTHER_REGION = 'eu-west-1';
/** One selector per AI data-event type, with `change` applied to the one for `type`. */
function everyType(change?: { type: string; to: AdvancedEventSelector | null }): AdvancedEventSelector[] {
  return AI_DATA_EVENT_TYPES.flatMap((t) => {
    if (change?.type !== t.type) return [dataSelector(t.type)];
    return change.to ? [change.to] : [];
  });
}
const orgTrail = (p: Partial<TrailInfo> = {}, selectors = everyType()): TrailInfo =>
  trail({ name: 'org', isOrganizationTrail: true, selectors: advanced(mgmtSelector, ...selectors), ...p });
const moot = (trails: TrailInfo[], region = REGION, stores = [] as ReturnType<typeof eventDataStore>[]): AiResourceListing[] =>
  mootListings({ trails, stores }, MEMBER, region);
const except = (...ids: AiResourceListing[]): AiResourceListing[] => AI_RESOURCE_LISTINGS.filter((id) => !ids.includes(id));

describe('mootListings', () => {
  it.each<[string, AiResourceListing[], AiResourceListing[]]>([
    ['every type selected type-wide by an organization trail: every listing', moot([orgTrail()]), [...AI_RESOURCE_LISTINGS]],
    [
      'the same by an ingesting organization event data store',
      moot([], REGION, [eventDataStore('org', { organization: true, selectors: [mgmtSelector, ...everyType()] })]),
      [...AI_RESOURCE_LISTINGS],
    ],
    [
      'one type scoped by ARN prefix: its listing is kept (a partial prefix could leave one out)',
      moot([
        orgTrail({}, [
          ...everyType({
            type: 'AWS::SageMaker::FeatureGroup',
            to: dataSelector('AWS::SageMaker::FeatureGroup', {
              field: 'resources.ARN',
              startsWith: [`arn:aws:sagemaker:${REGION}:${MEMBER}:feature-group/prod-`],
            }),
          }),
        ]),
      ]),
      except('sagemaker:feature-groups'),
    ],
    [
      "an ARN prefix that takes in the whole account-region's type: still moot",
      moot([
        orgTrail({}, [
          ...everyType({
            type: 'AWS::SageMaker::FeatureGroup',
            to: dataSelector('AWS::SageMaker::FeatureGroup', { field: 'resources.ARN', startsWith: [`arn:aws:sagemaker:${REGION}:`] }),
          }),
        ]),
      ]),
      [...AI_RESOURCE_LISTINGS],
    ],
    [
      'one type readOnly only: its listing is kept',
      moot([
        orgTrail({}, [
          ...everyType({
            type: 'AWS::BedrockAgentCore::Gateway',
            to: dataSelector('AWS::BedrockAgentCore::Gateway', { field: 'readOnly', equals: ['true'] }),
          }),
        ]),
      ]),
      except('agentcore:gateways'),
    ],
    [
      'an account excluded by a field the scan does not model (partial): kept',
      moot([
        orgTrail({}, [
          ...everyType({
            type: 'AWS::Bedrock::PromptVersion',
            to: dataSelector('AWS::Bedrock::PromptVersion', { field: 'recipientAccountId', notEquals: [MEMBER] }),
          }),
        ]),
      ]),
      except('bedrock:prompts'),
    ],
    [
      'a listing feeding two types, one of them not selected: kept (workload identities feed the directory too)',
      moot([orgTrail({}, everyType({ type: 'AWS::BedrockAgentCore::WorkloadIdentityDirectory', to: null }))]),
      except('agentcore:workload-identities'),
    ],
    [
      'the token vault not selected: both credential-provider listings kept',
      moot([orgTrail({}, everyType({ type: 'AWS::BedrockAgentCore::TokenVault', to: null }))]),
      except('agentcore:api-key-providers', 'agentcore:oauth2-providers'),
    ],
    ['unreadable selectors: never', moot([orgTrail({ selectors: unseen('AccessDenied') })]), []],
    ['unreadable status: never', moot([orgTrail({ status: unseen('AccessDenied') })]), []],
    ['a trail that is not logging: never', moot([orgTrail({ status: seen({ isLogging: false, latestDeliveryError: null }) })]), []],
    ['a trail reporting a delivery error: never', moot([orgTrail({ status: seen({ isLogging: true, latestDeliveryError: 'AccessDenied' }) })]), []],
    ['a trail naming no bucket: never', moot([orgTrail({ s3BucketName: null as unknown as string })]), []],
    ['a single-region trail, in another region: never', moot([orgTrail({ isMultiRegion: false })], OTHER_REGION), []],
    ['a single-region trail, in its home region', moot([orgTrail({ isMultiRegion: false })], REGION), [...AI_RESOURCE_LISTINGS]],
    ['management events only: never', moot([orgTrail({}, [])]), []],
    ['no recorder: never', moot([]), []],
    [
      'an event data store that is not ingesting: never',
      moot([], REGION, [eventDataStore('org', { status: 'STOPPED_INGESTION', selectors: [mgmtSelector, ...everyType()] })]),
      [],
    ],
  ])('%s', (_name, got, expected) => {
    expect(got).toEqual(expected);
  });
});

const typeArn = (type: string) => `arn:aws:cloudtrail::${MEMBER}:data-events/${type}`;
const fed = AI_DATA_EVENT_TYPES.filter((t) => t.listings !== undefined);
const notFed = AI_DATA_EVENT_TYPES.filter((t) => t.listings === undefined);

/** A member whose every AI listing in `region` was not sent (moot), under the organization trail. */
function skippedIn(regions: string[]) {
  return inventory()
    .org()
    .orgTrails([orgTrail({ s3BucketName: 'org-logs' })])
    .account(MEMBER, (a) => {
      for (const region of regions)
        a.region(region, (r) => {
          for (const id of AI_RESOURCE_LISTINGS) r.ai(id, unseen(`not sent in ${region}`, LISTING_MOOT));
        });
      return a;
    });
}

describe('cloudtrail-ai-data-events with listings not sent', () => {
  it('a type whose every listing was moot is PASS data-events-recorded-type-wide; types judged from other sources keep their verdicts', () => {
    const fs = run(check, skippedIn([REGION, OTHER_REGION]), MEMBER);
    for (const t of fed) {
      const f = forResource(fs, typeArn(t.type));
      expect([t.type, f.status, f.reasonCode]).toEqual([t.type, 'PASS', 'data-events-recorded-type-wide']);
      expect(f.reason).toContain('whether any exists was not listed');
      expect(f.evidence?.recordedTypeWide).toEqual([
        { region: REGION, by: ['org'] },
        { region: OTHER_REGION, by: ['org'] },
      ]);
    }
    for (const t of notFed) expect([t.type, forResource(fs, typeArn(t.type)).status]).toEqual([t.type, 'NOT_APPLICABLE']);
  });

  it("NOT_ASSESSED where the recorder that made the listing moot keeps nothing (the trail's bucket does not exist)", () => {
    const fs = run(check, skippedIn([REGION]).bucket(goneBucket('org-logs')), MEMBER);
    for (const t of fed) {
      const f = forResource(fs, typeArn(t.type));
      expect([t.type, f.status, f.reasonCode]).toEqual([t.type, 'NOT_ASSESSED', 'resources-not-listed']);
      expect(f.reason).toContain('were not listed because every one was selected');
    }
  });

  it('a listing moot in one region and read in another: the listed resources decide, as without the skip', () => {
    const inv = skippedIn([REGION]).account(MEMBER, (a) =>
      a.region(OTHER_REGION, (r) =>
        r.ai('sagemaker:feature-groups', [{ arn: `arn:aws:sagemaker:${OTHER_REGION}:${MEMBER}:feature-group/fg`, name: 'fg' }]),
      ),
    );
    const f = forResource(run(check, inv, MEMBER), typeArn('AWS::SageMaker::FeatureGroup'));
    expect([f.status, f.reasonCode]).toEqual(['PASS', 'data-events-recorded']);
    expect(f.evidence?.recordedTypeWide).toEqual([{ region: REGION, by: ['org'] }]);
  });
});

describe('score', () => {
  const result = (status: CheckResult['status'], reasonCode: string): CheckResult => ({
    checkId: 'cloudtrail-ai-data-events',
    accountId: MEMBER,
    region: 'global',
    resourceArn: 'x',
    status,
    severity: 'high',
    reason: '',
    reasonCode,
    evidence: {},
  });
  it('leaves data-events-recorded-type-wide out of the score and coverage, like NOT_APPLICABLE', () => {
    const fail = result('FAIL', 'data-events-not-selected');
    const withSkipped = scoreResults([fail, result('PASS', 'data-events-recorded-type-wide'), result('PASS', 'data-events-recorded-type-wide')]);
    const withoutSkip = scoreResults([fail, result('NOT_APPLICABLE', 'type-not-in-use'), result('NOT_APPLICABLE', 'type-not-in-use')]);
    expect(withSkipped).toEqual(withoutSkip);
    expect(withSkipped.score).toBe(0);
    expect(scoreResults([fail, result('PASS', 'data-events-recorded')]).score).toBe(50);
  });
});
