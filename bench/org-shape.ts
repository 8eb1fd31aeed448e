// The Organization the scan benchmark and the call-budget test scan: a management account with an
// organization trail, and members that each run a small SageMaker workload in every region (a model-artifact
// bucket, an endpoint with its model, its log group, GuardDuty in every other member). Resource names are the
// same in every member apart from the account id, so the recorded responses of one member can stand in for
// any number of synthetic ones (bench/replay).
import type { ClientFactory } from '../src/aws/clients.js';
import {
  managementEventsSelector,
  seedBucket,
  seedGuardDuty,
  seedLogGroup,
  seedOrganization,
  seedSageMakerEndpoint,
  seedTrail,
} from '../demo/seed.js';

export const BENCH_ENDPOINT = 'ep-models';

export const benchBucketName = (accountId: string, region: string): string => `models-${accountId}-${region}`;

export interface BenchOrganization {
  managementAccountId: string;
  memberAccountIds: string[];
  orgTrailBucket: string;
}

export async function seedBenchOrganization(factory: ClientFactory, options: { members: number; regions: string[] }): Promise<BenchOrganization> {
  const org = await seedOrganization(factory, {
    accounts: Array.from({ length: options.members }, (_, i) => ({ name: `member-${String(i + 1).padStart(4, '0')}` })),
  });
  const orgTrailBucket = `org-trail-${org.managementAccountId}`;
  await seedTrail(
    { factory },
    {
      name: 'org-trail',
      bucket: orgTrailBucket,
      multiRegion: true,
      organization: true,
      logFileValidation: true,
      selectors: { advanced: [managementEventsSelector()] },
    },
  );
  await Promise.all(
    org.accounts.map(async (account, n) => {
      for (const region of options.regions) {
        const t = { ...account.target, region };
        const bucket = benchBucketName(account.accountId, region);
        await seedBucket(t, { name: bucket, versioning: n % 2 === 0, tags: { 'forensight:role': 'model-artifacts' } });
        await seedSageMakerEndpoint(t, {
          name: BENCH_ENDPOINT,
          model: { modelDataUrl: `s3://${bucket}/model.tar.gz` },
          dataCapture: n % 3 === 0 ? { destinationS3Uri: `s3://${bucket}/capture/`, samplingPercent: 100 } : null,
        });
        await seedLogGroup(t, { name: `/aws/sagemaker/Endpoints/${BENCH_ENDPOINT}`, retentionInDays: n % 2 === 0 ? 400 : 30 });
        if (n % 2 === 1) await seedGuardDuty(t, { enable: true });
      }
    }),
  );
  return { managementAccountId: org.managementAccountId, memberAccountIds: org.accounts.map((a) => a.accountId), orgTrailBucket };
}
