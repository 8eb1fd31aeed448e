// The one secret recogniser (src/model/secrets.ts), pattern by pattern: each type found in a sample and removed by
// redact(), a near miss of each left alone, and both call sites: analysis names types, error messages are redacted.
import { describe, expect, it } from 'vitest';
import { describeError, redactSecrets } from '../../src/aws/errors.js';
import { redact, SECRET_TYPES, secretTypes } from '../../src/model/secrets.js';

const KEY_ID = 'AKIAZ7VQ2TESTKEY0001';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEYZ';

/** Per type: a text carrying it, the secret part that must not survive redaction, and a near miss that is not one. */
const TABLE: Record<string, { text: string; secret: string; nearMiss: string }> = {
  'AWS access key id': { text: `key ${KEY_ID} leaked`, secret: KEY_ID, nearMiss: 'an id looks like AKIA... and is 20 characters' },
  'AWS secret access key': {
    text: `aws_secret_access_key = ${SECRET_KEY}`,
    secret: SECRET_KEY,
    nearMiss: 'commit 0123456789abcdef0123456789abcdef01234567',
  },
  'AWS session token': {
    text: 'aws_session_token=IQoJb3JpZ2luX2VjEPr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD',
    secret: 'IQoJb3JpZ2luX2VjEPr',
    nearMiss: 'the session token expired',
  },
  'request signature': {
    text: 'GET /model.tar.gz?X-Amz-Signature=9f2c1e0b8a7d6c5b4a39281706f5e4d3c2b1a09f',
    secret: '9f2c1e0b8a7d6c5b4a39281706f5e4d3c2b1a09f',
    nearMiss: 'The request signature we calculated does not match the signature you provided',
  },
  'private key': {
    text: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t\n-----END RSA PRIVATE KEY-----',
    secret: 'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0t',
    nearMiss: '-----BEGIN PUBLIC KEY-----',
  },
  'GitHub token': {
    text: 'token ghp_R4nd0mT0kenV4lue1234567890abcdefABCD',
    secret: 'ghp_R4nd0mT0kenV4lue1234567890abcdefABCD',
    nearMiss: 'ghp_short',
  },
  'Slack token': { text: 'xoxb-2048-4096-R4nd0mSl4ckT0ken', secret: 'R4nd0mSl4ckT0ken', nearMiss: 'xoxb-12' },
  'Google API key': { text: 'AIzaSyA1234567890abcdefghijklmnopqrstuv', secret: 'SyA1234567890abcdefghijklmnopqrstuv', nearMiss: 'AIza too short' },
  'OpenAI / Anthropic API key': {
    text: 'sk-ant-abcdefghijklmnopqrstuvwxyz0123456789',
    secret: 'abcdefghijklmnopqrstuvwxyz0123456789',
    nearMiss: 'sk-learn is a library',
  },
  'Stripe secret key': { text: 'sk_live_abcdefghijklmnopqrstuvwx', secret: 'abcdefghijklmnopqrstuvwx', nearMiss: 'sk_test_abcdefghijklmnopqrstuvwx' },
  'JSON Web Token': {
    text: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJyb290In0.c2lnbmF0dXJlX29mX3RoZV90b2tlbg',
    secret: 'c2lnbmF0dXJlX29mX3RoZV90b2tlbg',
    nearMiss: 'eyJ is how base64 JSON starts',
  },
  'bearer token': {
    text: 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345',
    secret: 'abcdefghijklmnopqrstuvwxyz012345',
    nearMiss: 'Bearer of bad news',
  },
};

describe('secret patterns', () => {
  it('the table covers every type the recogniser knows', () => {
    expect(Object.keys(TABLE).sort()).toEqual(SECRET_TYPES.map((s) => s.name).sort());
  });

  it.each(Object.entries(TABLE))('%s: found, named, removed; its near miss is not', (name, row) => {
    expect(secretTypes(row.text)).toEqual([name]);
    const r = redact(row.text);
    expect(r.types).toEqual([name]);
    expect(r.text).toContain(`[redacted ${name}]`);
    expect(r.text).not.toContain(row.secret);
    expect(secretTypes(row.nearMiss)).toEqual([]);
    expect(redact(row.nearMiss)).toEqual({ text: row.nearMiss, types: [] });
  });

  it('a key pair is two types, the secret removed while the key id it follows is still there', () => {
    const r = redact(`${KEY_ID}:${SECRET_KEY}`);
    expect(r).toEqual({
      text: '[redacted AWS access key id]:[redacted AWS secret access key]',
      types: ['AWS access key id', 'AWS secret access key'],
    });
  });
});

describe('error messages go through the same recogniser', () => {
  it.each([
    ['an access key id, even cut short', 'invalid key AKIAIOSFODNN7EXA', 'AKIAIOSFODNN7EXA'],
    ['a labelled secret key', `secret_access_key=${SECRET_KEY}`, SECRET_KEY],
    ['a session token', 'x-amz-security-token: IQoJb3JpZ2luX2VjEPr//////////wEa', 'IQoJb3JpZ2luX2VjEPr'],
    ['a signature', 'Signature=9f2c1e0b8a7d6c5b4a39281706f5e4d3c2b1a09f', '9f2c1e0b8a7d6c5b4a39281706f5e4d3'],
  ])('%s', (_n, message, secret) => {
    expect(redactSecrets(message)).not.toContain(secret);
    expect(describeError(Object.assign(new Error(message), { name: 'InvalidClientTokenId' }), 'sts:GetCallerIdentity')).not.toContain(secret);
  });

  it('a message without secrets is unchanged', () => {
    expect(redactSecrets('User: arn:aws:iam::123456789012:user/x is not authorized to perform: s3:GetObject')).toBe(
      'User: arn:aws:iam::123456789012:user/x is not authorized to perform: s3:GetObject',
    );
  });
});
