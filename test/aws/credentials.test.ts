// The role chain's contract with STS, with the SDK client mocked: ExternalId, session name, and
// re-assumption before a (chained, at most one hour) session expires.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientFactory } from '../../src/aws/clients.js';
import { assumeRoleProvider, RoleChain, sessionNameFor } from '../../src/aws/credentials.js';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());
const base = async () => ({ accessKeyId: 'AKIABASE', secretAccessKey: 'base-secret' });
const session = (minutesLeft: number, id: string) => ({
  Credentials: { AccessKeyId: id, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + minutesLeft * 60_000) },
});

describe('role chain', () => {
  it('session names identify forensight and the run, within STS limits', () => {
    expect(sessionNameFor('scan', 'scan-20261121T080000Z-abcdef')).toBe('forensight-scan-scan-20261121T080000Z-abcdef');
    expect(sessionNameFor('scan', 'x'.repeat(100))).toHaveLength(64);
    expect(sessionNameFor('scan', 'a b/c')).toMatch(/^[\w+=,.@-]+$/);
  });

  it('passes the ExternalId and session name, and reuses a fresh session', async () => {
    sts.on(AssumeRoleCommand).resolves(session(60, 'ASIAONE'));
    const provider = assumeRoleProvider(new ClientFactory(), base, {
      roleArn: 'arn:aws:iam::222222222222:role/R',
      sessionName: 'forensight-scan-1',
      externalId: 'ext-9',
      sourceAccountId: '111111111111',
    });
    await provider();
    await provider();
    const calls = sts.commandCalls(AssumeRoleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({
      RoleArn: 'arn:aws:iam::222222222222:role/R',
      RoleSessionName: 'forensight-scan-1',
      ExternalId: 'ext-9',
      DurationSeconds: 3600,
    });
  });

  it('assumes the role again when the session is within five minutes of expiry', async () => {
    sts.on(AssumeRoleCommand).resolvesOnce(session(4, 'ASIAOLD')).resolves(session(60, 'ASIANEW'));
    const provider = assumeRoleProvider(new ClientFactory(), base, {
      roleArn: 'arn:aws:iam::222222222222:role/R',
      sessionName: 's',
      sourceAccountId: '1',
    });
    expect((await provider()).accessKeyId).toBe('ASIAOLD');
    expect((await provider()).accessKeyId).toBe('ASIANEW');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('concurrent callers share one AssumeRole request', async () => {
    sts.on(AssumeRoleCommand).resolves(session(60, 'ASIAONE'));
    const provider = assumeRoleProvider(new ClientFactory(), base, {
      roleArn: 'arn:aws:iam::222222222222:role/R',
      sessionName: 's',
      sourceAccountId: '1',
    });
    await Promise.all([provider(), provider(), provider()]);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('verify() reports AccessDenied as an unseen access with the role ARN, never throwing', async () => {
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' }));
    const chain = new RoleChain(new ClientFactory(), base, '111111111111', { roleName: 'ForensightReadOnly', sessionName: 's' });
    const access = await chain.verify('333333333333');
    expect(access.ok).toBe(false);
    if (!access.ok) {
      expect(access.reason).toContain('arn:aws:iam::333333333333:role/ForensightReadOnly');
      expect(access.reason).toContain('AccessDenied');
      expect(access.errorCode).toBe('AccessDenied');
    }
  });
});
