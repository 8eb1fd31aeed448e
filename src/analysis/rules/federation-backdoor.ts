// Persistence through federation: SAML and OIDC identity providers created or re-keyed, IAM Roles Anywhere trust
// anchors and profiles, and long-lived federated sessions minted from an IAM user's key (GetFederationToken).
// Each call done or denied in the window is one finding; a denied attempt is one step lower.
import { isSuccess, type TimelineEvent } from '../event.js';
import { changeRule, isBaseline, isExpected, isTrail, listSome, obj, requestParameters, str, UsualActors, type ChangeVerdict } from './support.js';
import { defineRule, type RuleMeta, type Severity } from './types.js';
import { grantsAdmin } from './iam-persistence.js';

const meta: RuleMeta<Record<string, never>> = {
  id: 'federation-backdoor',
  title: 'Identity provider, Roles Anywhere trust anchor, federated session or console sign-in token created or changed',
  severity: 'high',
  element: 'access',
  techniques: ['T1484.002', 'T1556', 'T1550.001'],
  rationale:
    'An attacker who holds an admin key makes access that survives rotating it: a SAML or OIDC identity provider they control (or a new signing certificate, client id or thumbprint on an existing one) lets them assume every role that trusts the provider; an IAM Roles Anywhere trust anchor with their certificate authority and a profile naming roles lets any certificate it signs obtain role credentials; GetFederationToken mints a federated session of up to 36 hours that deleting the user’s access key does not end (not reported for an actor that minted them in the baseline: a token broker); GetSigninToken outside the IAM Identity Center portal turns API credentials into a console session (aws_consoler). Each such call is reported, a denied attempt one step lower.',
  messages: { change: '{what}{target} by {actor}{attempt}' },
  params: {},
  needsBaseline: false,
  response: {
    containment: [
      'Delete identity providers, trust anchors and profiles that were not approved (or restore their previous metadata, client ids and thumbprints)',
      'Deny the IAM user that called GetFederationToken every action for tokens issued before now (aws:TokenIssueTime), then rotate its keys',
    ],
    recovery: ['List the roles that trust each provider or profile and review what their sessions did since the change'],
  },
};

type Verdict = ChangeVerdict | null;

const IAM: Record<string, (p: Record<string, unknown>) => ChangeVerdict> = {
  CreateSAMLProvider: (p) => {
    const name = str(p.name) ?? '?';
    return { what: `SAML identity provider ${name} created`, severity: 'high', restore: `Delete SAML provider ${name} unless it was approved` };
  },
  UpdateSAMLProvider: (p) => {
    const arn = str(p.sAMLProviderArn) ?? '?';
    return {
      what: `Metadata (signing certificate) of SAML provider ${arn} replaced`,
      severity: 'high',
      restore: `Restore the approved metadata document of ${arn}`,
    };
  },
  CreateOpenIDConnectProvider: (p) => {
    const url = str(p.url) ?? '?';
    const clients = Array.isArray(p.clientIDList) ? p.clientIDList.map(String) : [];
    return {
      what: `OIDC identity provider ${url} created${clients.length ? ` for client(s) ${listSome(clients, 3)}` : ''}`,
      severity: 'high',
      restore: `Delete OIDC provider ${url} unless it was approved`,
    };
  },
  AddClientIDToOpenIDConnectProvider: (p) => {
    const arn = str(p.openIDConnectProviderArn) ?? '?';
    return {
      what: `Client id ${str(p.clientID) ?? '?'} added to OIDC provider ${arn}`,
      severity: 'high',
      restore: `Remove the client id from ${arn}`,
    };
  },
  UpdateOpenIDConnectProviderThumbprint: (p) => {
    const arn = str(p.openIDConnectProviderArn) ?? '?';
    return { what: `Certificate thumbprints of OIDC provider ${arn} replaced`, severity: 'high', restore: `Restore the thumbprints of ${arn}` };
  },
};

const ROLES_ANYWHERE: Record<string, string> = {
  CreateTrustAnchor: 'IAM Roles Anywhere trust anchor created',
  UpdateTrustAnchor: 'IAM Roles Anywhere trust anchor changed',
  EnableTrustAnchor: 'IAM Roles Anywhere trust anchor enabled',
  CreateProfile: 'IAM Roles Anywhere profile created',
  UpdateProfile: 'IAM Roles Anywhere profile changed',
};

function rolesAnywhere(e: TimelineEvent): Verdict {
  const what = ROLES_ANYWHERE[e.action];
  if (!what) return null;
  const p = requestParameters(e);
  const name = str(p.name) ?? str(p.trustAnchorId) ?? str(p.profileId);
  const source = str(obj(p.source)?.sourceType);
  const roles = Array.isArray(p.roleArns) ? p.roleArns.map(String) : [];
  const detail = [name, source && `source ${source}`, roles.length && `roles ${listSome(roles, 3)}`].filter(Boolean).join(', ');
  return {
    what: `${what}${detail ? ` (${detail})` : ''}`,
    severity: 'high',
    restore: `Delete the Roles Anywhere ${e.action.endsWith('Profile') ? 'profile' : 'trust anchor'}${name ? ` ${name}` : ''} unless it was approved`,
  };
}

function federationToken(e: TimelineEvent): Verdict {
  if (e.action !== 'GetFederationToken') return null;
  const p = requestParameters(e);
  const user = e.principal?.match(/:user\/(?:.*\/)?([^/]+)$/)?.[1] ?? e.actor ?? '?';
  const hours = typeof p.durationSeconds === 'number' ? ` for ${Math.round(p.durationSeconds / 360) / 10} h` : '';
  const admin = grantsAdmin(p.policy);
  const severity: Severity = 'high';
  return {
    what: `Federated session ${str(p.name) ?? '?'} minted from IAM user ${user}'s key${hours}${admin ? ' with a policy allowing everything' : ''}`,
    severity,
    restore: `Deny IAM user ${user} every action for tokens issued before now (aws:TokenIssueTime): deleting its key does not end the federated session`,
  };
}

function judge(e: TimelineEvent): Verdict {
  switch (e.service ?? '') {
    case 'iam.amazonaws.com': {
      const judgeIam = IAM[e.action];
      return judgeIam ? judgeIam(requestParameters(e)) : null;
    }
    case 'rolesanywhere.amazonaws.com':
      return rolesAnywhere(e);
    case 'sts.amazonaws.com':
      return federationToken(e);
    case 'signin.amazonaws.com':
      // The IAM Identity Center portal mints these for its own sessions; anything else turned API keys into a console.
      return e.action === 'GetSigninToken' && !/:assumed-role\/AWSReservedSSO_/.test(e.principal ?? '')
        ? {
            what: 'Console sign-in token minted from API credentials (the key became a console session, as aws_consoler does)',
            severity: 'high',
            restore: 'Revoke the sessions of the principal (aws:TokenIssueTime) and review its console activity',
          }
        : null;
    default:
      return null;
  }
}

const isFederationToken = (e: TimelineEvent): boolean => isTrail(e) && e.service === 'sts.amazonaws.com' && e.action === 'GetFederationToken';

export const federationBackdoor = defineRule({
  meta,
  create(ctx) {
    // A token broker that minted federated sessions in the baseline is doing its usual work.
    const usual = new UsualActors();
    const changes = changeRule(meta, 'review', () => (e: TimelineEvent) => {
      if (isExpected(e, ctx)) return null;
      if (isFederationToken(e) && usual.isUsual('federation-token', e, true)) return null;
      return judge(e);
    })(ctx);
    return {
      event(e) {
        if (isFederationToken(e) && isSuccess(e) && isBaseline(e, ctx)) usual.learn('federation-token', e);
        changes.event(e);
      },
      finish: () => changes.finish(),
    };
  },
});
