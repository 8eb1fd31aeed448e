// KMS keys scheduled for deletion, disabled, or stripped of imported key material: every object, volume, snapshot,
// secret and log encrypted under the key becomes unreadable (destruction, or the lever of a ransom). Which data a
// key protects is not in these CloudTrail records, so the finding says so rather than guess.
import type { TimelineEvent } from '../event.js';
import { toIso } from '../normalize/common.js';
import { changeRule, requestParameters, responseElements, str, type ChangeVerdict } from './support.js';
import { defineRule, type RuleMeta } from './types.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'kms-key-destruction',
  title: 'KMS key scheduled for deletion, disabled or its key material deleted',
  severity: 'high',
  element: 'data-store-changes',
  techniques: ['T1485', 'T1486'],
  rationale:
    'Deleting or disabling the KMS key that encrypts training data, model artifacts, volumes or logs makes them unreadable without touching them: destruction, or a ransom once the data has been copied out. ScheduleKeyDeletion can still be cancelled during its waiting period; DeleteImportedKeyMaterial is immediate. Whether the key encrypts AI data or logs cannot be known from these CloudTrail records alone: the finding says so, and the responder checks the key’s grants, aliases and the resources that name it. A denied attempt is one step lower.',
  messages: { change: '{what}{target} by {actor}{attempt}' },
  params: {},
  needsBaseline: false,
  response: {
    containment: [
      'Cancel the key deletion (CancelScheduleKeyDeletion) and re-enable the key (EnableKey) now; deactivate the credential that made the change',
    ],
    recovery: [
      'List what the key encrypts (S3 default encryption, EBS, RDS, Secrets Manager, CloudWatch Logs, SageMaker and Bedrock resources naming it) and check it is readable again; re-import the key material from its escrowed copy',
    ],
  },
};

const UNKNOWN_USE = ' (which data it encrypts, AI data or logs, is not in CloudTrail: check the resources that name the key)';

/** When the key will be gone: the recorded deletion date, else the event time plus the waiting period (30 days by default). */
function deletionDate(e: TimelineEvent): string {
  const recorded = responseElements(e).deletionDate;
  // Recorded as epoch seconds or as "Jun 8, 2024, 12:00:00 AM" (UTC, without saying so).
  const text = str(recorded);
  const t =
    typeof recorded === 'number'
      ? recorded * (recorded < 1e12 ? 1000 : 1)
      : text
        ? Date.parse(/(?:Z|[+-]\d\d:?\d\d|UTC|GMT)$/.test(text) ? text : `${text} UTC`)
        : NaN;
  const recordedIso = toIso(new Date(t));
  if (recordedIso) return recordedIso;
  // KMS accepts a waiting period of 7 to 30 days; anything else in a record is not what KMS applied.
  const asked = Number(requestParameters(e).pendingWindowInDays ?? 30);
  const days = Number.isInteger(asked) && asked >= 7 && asked <= 30 ? asked : 30;
  return toIso(new Date(Date.parse(e.time) + days * 86_400_000)) ?? 'a date the record does not give';
}

function judge(e: TimelineEvent): ChangeVerdict | null {
  if (e.service !== 'kms.amazonaws.com') return null;
  const key = str(requestParameters(e).keyId) ?? e.target ?? '?';
  switch (e.action) {
    case 'ScheduleKeyDeletion': {
      const when = deletionDate(e);
      return {
        what: `KMS key ${key} scheduled for deletion on ${when}${UNKNOWN_USE}`,
        severity: 'high',
        restore: `Cancel the deletion of KMS key ${key} (CancelScheduleKeyDeletion) before ${when}, then EnableKey`,
      };
    }
    case 'DisableKey':
      return { what: `KMS key ${key} disabled${UNKNOWN_USE}`, severity: 'medium', restore: `Re-enable KMS key ${key} (EnableKey)` };
    case 'DeleteImportedKeyMaterial':
      return {
        what: `Imported key material of KMS key ${key} deleted${UNKNOWN_USE}`,
        severity: 'high',
        restore: `Re-import the key material of KMS key ${key} from its escrowed copy (ImportKeyMaterial)`,
      };
    default:
      return null;
  }
}

export const kmsKeyDestruction = defineRule({
  meta,
  create: changeRule(meta, 'review', () => judge),
});
