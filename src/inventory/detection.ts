// Detection services: GuardDuty detectors and AWS Config recorders of one region.
import {
  ConfigServiceClient,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  type ConfigurationRecorder,
  type ConfigurationRecorderStatus,
} from '@aws-sdk/client-config-service';
import { GetDetectorCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { closedValue, seen, type ConfigRecorderInfo, type GuardDutyDetector, type Observed } from '../model/inventory.js';
import { attempt, clientFor, failure, limiter, paginate, uniq, type CollectorContext } from './util.js';
import type { IamAction } from '../model/iam.js';

/** The IAM actions these reads need (the role template is built from such declarations). */
export const IAM_ACTIONS: readonly IamAction[] = [
  'guardduty:ListDetectors',
  'guardduty:GetDetector',
  'config:DescribeConfigurationRecorders',
  'config:DescribeConfigurationRecorderStatus',
];

const RECORDING_FREQUENCIES = ['CONTINUOUS', 'DAILY'] as const;

export function mapConfigRecorders(recorders: ConfigurationRecorder[], statuses: ConfigurationRecorderStatus[]): ConfigRecorderInfo[] {
  const byName = new Map(statuses.map((s) => [String(s.name), s]));
  return recorders.map((r) => {
    const group = r.recordingGroup;
    const status = byName.get(String(r.name));
    return {
      name: String(r.name),
      // AWS: a recorder without a recordingGroup records all supported types.
      allSupported: group ? group.allSupported === true : true,
      includeGlobalResourceTypes: group?.includeGlobalResourceTypes === true,
      resourceTypes: [...(group?.resourceTypes ?? [])],
      exclusionTypes: [...(group?.exclusionByResourceTypes?.resourceTypes ?? [])],
      recording: status ? status.recording === true : null,
      lastStatus: status?.lastStatus ?? null,
      strategy: group?.recordingStrategy?.useOnly
        ? closedValue(
            ['ALL_SUPPORTED_RESOURCE_TYPES', 'INCLUSION_BY_RESOURCE_TYPES', 'EXCLUSION_BY_RESOURCE_TYPES'] as const,
            group.recordingStrategy.useOnly,
          )
        : null,
      recordingFrequency: r.recordingMode?.recordingFrequency ? closedValue(RECORDING_FREQUENCIES, r.recordingMode.recordingFrequency) : null,
      frequencyOverrides: (r.recordingMode?.recordingModeOverrides ?? []).map((o) => ({
        resourceTypes: [...(o.resourceTypes ?? [])],
        frequency: closedValue(RECORDING_FREQUENCIES, o.recordingFrequency),
      })),
    };
  });
}

export async function collectGuardDuty(ctx: CollectorContext): Promise<Observed<GuardDutyDetector[]>> {
  const gd = clientFor(ctx, GuardDutyClient);
  const listed = await attempt('guardduty:ListDetectors', () =>
    paginate(async (NextToken) => {
      const out = await gd.send(new ListDetectorsCommand({ MaxResults: ctx.pageSize, NextToken }));
      return { items: out.DetectorIds, next: out.NextToken };
    }),
  );
  if (!listed.ok) return listed;
  const limit = limiter();
  return seen(
    await Promise.all(
      uniq(listed.value).map((detectorId) =>
        limit(async (): Promise<GuardDutyDetector> => ({
          detectorId,
          status: await attempt('guardduty:GetDetector', async () =>
            String((await gd.send(new GetDetectorCommand({ DetectorId: detectorId }))).Status ?? 'UNKNOWN'),
          ),
        })),
      ),
    ),
  );
}

/**
 * Recorders and their status. If the status call fails, the whole value is unseen: "is Config recording" is
 * the question every consumer asks, and a recorder without known status cannot answer it.
 */
export async function collectConfigRecorders(ctx: CollectorContext): Promise<Observed<ConfigRecorderInfo[]>> {
  const config = clientFor(ctx, ConfigServiceClient);
  const recorders = await config.send(new DescribeConfigurationRecordersCommand({})).then(
    (out) => seen(out.ConfigurationRecorders ?? []),
    (error: unknown) => failure<ConfigurationRecorder[]>(error, 'config:DescribeConfigurationRecorders'),
  );
  if (!recorders.ok) return recorders;
  // No recorder, no status to ask for.
  if (recorders.value.length === 0) return seen([]);
  const statuses = await config.send(new DescribeConfigurationRecorderStatusCommand({})).then(
    (out) => seen(out.ConfigurationRecordersStatus ?? []),
    (error: unknown) => failure<ConfigurationRecorderStatus[]>(error, 'config:DescribeConfigurationRecorderStatus'),
  );
  if (!statuses.ok) return statuses;
  return seen(mapConfigRecorders(recorders.value, statuses.value));
}
