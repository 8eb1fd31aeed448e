import { describe, expect, it } from 'vitest';
import { check } from '../../checks/bedrock-invocation-logging-text.js';
import type { BedrockLoggingConfig, Observed } from '../../src/model/inventory.js';
import { inventory, loggingConfig, MGMT, only, run, seen, unseen } from '../support/inventory-builder.js';

const ARN = `arn:aws:bedrock:eu-west-1:${MGMT}:model-invocation-logging`;

describe('bedrock-invocation-logging-text', () => {
  it.each<[string, Observed<BedrockLoggingConfig | null>, boolean, string, string, string]>([
    ['PASS', seen(loggingConfig()), true, 'PASS', 'high', 'keeps prompt and response text'],
    ['FAIL text off', seen(loggingConfig({ textDataDelivery: false })), true, 'FAIL', 'high', 'does not deliver text data, so prompts and responses are not kept'],
    ['FAIL text off without footprint is low', seen(loggingConfig({ textDataDelivery: false })), false, 'FAIL', 'low', 'no Bedrock resources in this region'],
    ['FAIL not configured', seen(null), true, 'FAIL', 'high', 'not configured in eu-west-1'],
    ['FAIL no destination', seen(loggingConfig({ s3: null })), true, 'FAIL', 'high', 'has no destination'],
    ['NOT_ASSESSED', unseen('Throttling: rate exceeded'), true, 'NOT_ASSESSED', 'high', 'could not be read: Throttling: rate exceeded'],
  ])('%s', (_n, logging, footprint, status, severity, fragment) => {
    const f = only(run(check, inventory().region('eu-west-1', (r) => { if (footprint) r.withBedrock(); r.logging(logging); })));
    expect(f.status).toBe(status);
    expect(f.severity).toBe(severity);
    expect(f.resourceArn).toBe(ARN);
    expect(f.reason).toContain(fragment);
  });

  it('unknown footprint is judged as if Bedrock were used', () => {
    const f = only(run(check, inventory().region('eu-west-1', (r) => r.footprintUnreadable('AccessDenied: ListAgents').logging(seen(loggingConfig({ textDataDelivery: false }))))));
    expect(f.severity).toBe('high');
    expect(f.reason).toContain('AccessDenied: ListAgents');
  });
});
