// Which events the incident report lists as key events: changes, failures and AI use, not routine reads.
import type { TimelineEvent } from '../event.js';
import { isTrail } from './support.js';

const READ_ONLY = /^(?:Get|List|Describe|Head|Lookup|Search|Check|Batch(?:Get|Describe))/;

export function isKeyEvent(e: TimelineEvent): boolean {
  if (e.source === 'flow-log') return e.outcome !== 'success';
  // Invocations are the rules' to report; their records carry prompts and responses (secrets, personal data), also
  // when CloudTrail's record of the call leads the merged event.
  if ([e.source, ...(e.sources ?? [])].some((s) => s === 'bedrock-invocation' || s === 'sagemaker-data-capture')) return false;
  if (e.outcome !== 'success') return true;
  if (isTrail(e)) return !READ_ONLY.test(e.action) || e.action === 'ConsoleLogin' || e.action === 'GetCallerIdentity';
  return false;
}
