// Tables of the authentication rules: federation backdoors (identity providers, Roles Anywhere, federated sessions)
// and MFA removed. The records follow the requestParameters CloudTrail writes for each call (as the public Stratus
// Red Team detonations show them); the values are ours.
import { federationBackdoor } from '../../../src/analysis/rules/federation-backdoor.js';
import { mfaRemoved } from '../../../src/analysis/rules/mfa-removed.js';
import { ACCOUNT, APP_ROLE, at, BASELINE, ct, ROOT, WINDOW } from './builders.js';
import { ruleTester } from './rule-tester.js';

const call = (eventSource: string, eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  ct({ eventSource, eventName, requestParameters, ...over });
const iam = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  call('iam.amazonaws.com', eventName, requestParameters, over);
const ra = (eventName: string, requestParameters: unknown, over: Record<string, unknown> = {}) =>
  call('rolesanywhere.amazonaws.com', eventName, requestParameters, over);
const OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/idp.example.net`;
const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

ruleTester(federationBackdoor, {
  valid: [
    { name: 'reading the SAML providers', events: [iam('ListSAMLProviders', {})] },
    { name: 'an OIDC provider deleted', events: [iam('DeleteOpenIDConnectProvider', { openIDConnectProviderArn: OIDC })] },
    {
      name: 'CreateSAMLProvider failing for another reason (the name is taken) is not judged',
      events: [iam('CreateSAMLProvider', { name: 'okta' }, { errorCode: 'EntityAlreadyExists' })],
    },
    { name: 'an assumed role, not a federation token', events: [call('sts.amazonaws.com', 'AssumeRole', { roleArn: 'arn:aws:iam::1:role/x' })] },
    {
      name: 'a trust anchor created by the expected provisioning role',
      events: [ra('CreateTrustAnchor', { name: 'corp-pki', source: { sourceType: 'AWS_ACM_PCA' } }, { userIdentity: APP_ROLE })],
      ctx: { expected: { ips: new Set<string>(), principals: new Set([APP_ROLE.sessionContext.sessionIssuer.arn]) } },
    },
    {
      name: 'a token broker minting federated sessions as it did in the baseline',
      events: [
        call('sts.amazonaws.com', 'GetFederationToken', { name: 'broker-1' }, { eventTime: '2024-05-30T10:00:00Z' }),
        call('sts.amazonaws.com', 'GetFederationToken', { name: 'broker-2' }),
      ],
      ctx: { window: WINDOW, baseline: BASELINE },
    },
    {
      name: 'the same call name on another service',
      events: [call('cognito-identity.amazonaws.com', 'CreateOpenIDConnectProvider', { url: 'https://x' })],
    },
  ],
  invalid: [
    {
      name: 'a SAML provider created',
      events: [iam('CreateSAMLProvider', { name: 'corp-sso', sAMLMetadataDocument: '<md/>' })],
      findings: [
        {
          severity: 'high',
          summary: /^SAML identity provider corp-sso created by arn:aws:iam::111122223333:user\/mallory$/,
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
    {
      name: 'the metadata of an existing SAML provider replaced (a new signing certificate)',
      events: [iam('UpdateSAMLProvider', { sAMLProviderArn: `arn:aws:iam::${ACCOUNT}:saml-provider/okta`, sAMLMetadataDocument: '<md/>' })],
      findings: [{ severity: 'high', summary: /Metadata \(signing certificate\) of SAML provider .*saml-provider\/okta replaced/ }],
    },
    {
      name: 'an OIDC provider created for a client',
      events: [iam('CreateOpenIDConnectProvider', { url: 'https://idp.example.net', clientIDList: ['sts.amazonaws.com'], thumbprintList: ['a'] })],
      findings: [{ summary: /OIDC identity provider https:\/\/idp\.example\.net created for client\(s\) sts\.amazonaws\.com/ }],
    },
    {
      name: 'a client id added to an OIDC provider',
      events: [iam('AddClientIDToOpenIDConnectProvider', { openIDConnectProviderArn: OIDC, clientID: 'attacker-app' })],
      findings: [{ summary: /Client id attacker-app added to OIDC provider/ }],
    },
    {
      name: 'the thumbprints of an OIDC provider replaced, denied: one step lower, no restore step',
      events: [
        iam('UpdateOpenIDConnectProviderThumbprint', { openIDConnectProviderArn: OIDC, thumbprintList: ['b'] }, { errorCode: 'AccessDenied' }),
      ],
      findings: [{ severity: 'medium', summary: /thumbprints .* replaced .*\(attempt denied: AccessDenied\)/, actions: ['deactivate-access-key'] }],
    },
    {
      name: 'Roles Anywhere: a trust anchor with a certificate bundle, then a profile naming a role',
      events: [
        ra('CreateTrustAnchor', {
          enabled: true,
          name: 'rogue-anchor',
          source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: 'x' } },
        }),
        ra('CreateProfile', { name: 'rogue-profile', durationSeconds: 3600, roleArns: [`arn:aws:iam::${ACCOUNT}:role/admin`] }, { eventTime: at(1) }),
      ],
      findings: [
        { severity: 'high', summary: /Roles Anywhere trust anchor created \(rogue-anchor, source CERTIFICATE_BUNDLE\)/ },
        { severity: 'high', summary: /Roles Anywhere profile created \(rogue-profile, roles arn:aws:iam::111122223333:role\/admin\)/ },
      ],
    },
    {
      name: 'a federated session minted from a user key with an allow-everything policy',
      events: [call('sts.amazonaws.com', 'GetFederationToken', { name: 'svc', durationSeconds: 129600, policy: allowAll })],
      findings: [
        {
          severity: 'high',
          summary: /Federated session svc minted from IAM user mallory's key for 36 h with a policy allowing everything/,
          actorKey: 'AKIAMALLORY000000001',
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
  ],
});

const ROOT_MFA = `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`;
ruleTester(mfaRemoved, {
  valid: [
    { name: 'an MFA device enabled', events: [iam('EnableMFADevice', { userName: 'bob', serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/bob` })] },
    { name: 'listing MFA devices', events: [iam('ListMFADevices', { userName: 'bob' })] },
    {
      name: 'a deactivation that failed for another reason (no such device)',
      events: [iam('DeactivateMFADevice', { userName: 'bob', serialNumber: 'arn:aws:iam::1:mfa/bob' }, { errorCode: 'NoSuchEntity' })],
    },
  ],
  invalid: [
    {
      name: "another user's device deactivated, then deleted: one finding with both calls",
      events: [
        iam('DeactivateMFADevice', { userName: 'bob', serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/bob` }),
        iam('DeleteVirtualMFADevice', { serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/bob` }, { eventTime: at(1) }),
      ],
      findings: [
        {
          severity: 'high',
          summary: /mallory deactivated and deleted the MFA device arn:aws:iam::111122223333:mfa\/bob of IAM user bob$/,
          eventCount: 2,
          target: `arn:aws:iam::${ACCOUNT}:mfa/bob`,
          actions: ['deactivate-access-key', 'review'],
        },
      ],
    },
    {
      name: "the root user's virtual device deleted is critical",
      events: [iam('DeleteVirtualMFADevice', { serialNumber: ROOT_MFA })],
      findings: [{ severity: 'critical', summary: /deleted the MFA device .* of the root user of 111122223333/ }],
    },
    {
      name: 'root deactivating its own device (no user name) is critical',
      events: [iam('DeactivateMFADevice', { serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-phone` }, { userIdentity: ROOT })],
      findings: [{ severity: 'critical', summary: /of the root user/ }],
    },
    {
      name: 'a user removing its own device is medium',
      events: [iam('DeactivateMFADevice', { userName: 'mallory', serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/mallory` })],
      findings: [{ severity: 'medium', summary: /of itself \(mallory\)/ }],
    },
    {
      name: "a denied deactivation of another user's device is one step lower, with no restore step",
      events: [iam('DeactivateMFADevice', { userName: 'bob', serialNumber: 'arn:aws:iam::1:mfa/bob' }, { errorCode: 'AccessDenied' })],
      findings: [{ severity: 'medium', summary: /\(attempt denied: AccessDenied\)$/, actions: ['deactivate-access-key'] }],
    },
  ],
});
