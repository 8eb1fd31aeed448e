// OCSF for SIEMs (Security Lake, Splunk, Sentinel, Elastic): one Compliance Finding (class 2003) per scan
// result and one Detection Finding (class 2004) per analysis finding. The JSON Schemas these objects must
// satisfy are derived from the OCSF definitions of OCSF_VERSION (scripts/derive-ocsf-schemas.mjs) and checked
// in under src/model/schemas/ocsf/.
import type { Analysis } from '../../src/analysis/run.js';
import type { CheckResult, ResultStatus, ScanDocument, Severity } from '../../src/model/scan.js';
import { acceptedOf, controlLabels, epochMs, findingUid, frameworkNames, PRODUCT_NAME, resultUid, type MachineCatalogue } from './common.js';

export const OCSF_VERSION = '1.8.0';
const FINDINGS_CATEGORY = { uid: 2, name: 'Findings' } as const;
const COMPLIANCE_FINDING = { uid: 2003, name: 'Compliance Finding' } as const;
const DETECTION_FINDING = { uid: 2004, name: 'Detection Finding' } as const;
const ACTIVITY_CREATE = { id: 1, name: 'Create' } as const;

export const OCSF_SEVERITY: Record<Severity, { id: number; name: string }> = {
  critical: { id: 5, name: 'Critical' },
  high: { id: 4, name: 'High' },
  medium: { id: 3, name: 'Medium' },
  low: { id: 2, name: 'Low' },
};

/** compliance.status_id: 1 Pass, 2 Warning ("did not yield a result due to missing information"), 3 Fail, 99 Other. */
export const OCSF_COMPLIANCE_STATUS: Record<ResultStatus, { id: number; name: string }> = {
  PASS: { id: 1, name: 'Pass' },
  FAIL: { id: 3, name: 'Fail' },
  NOT_ASSESSED: { id: 2, name: 'Warning' },
  NOT_APPLICABLE: { id: 99, name: 'Not Applicable' },
};

export type OcsfObject = Record<string, unknown>;

function metadata(toolVersion: string, uid: string, logName: string): OcsfObject {
  return {
    version: OCSF_VERSION,
    uid,
    log_name: logName,
    profiles: ['cloud'],
    product: { name: PRODUCT_NAME, vendor_name: PRODUCT_NAME, version: toolVersion, url_string: 'https://github.com/forensight/forensight' },
  };
}

function classification(cls: { uid: number; name: string }): OcsfObject {
  return {
    activity_id: ACTIVITY_CREATE.id,
    activity_name: ACTIVITY_CREATE.name,
    category_uid: FINDINGS_CATEGORY.uid,
    category_name: FINDINGS_CATEGORY.name,
    class_uid: cls.uid,
    class_name: cls.name,
    type_uid: cls.uid * 100 + ACTIVITY_CREATE.id,
    type_name: `${cls.name}: ${ACTIVITY_CREATE.name}`,
  };
}

function cloud(accountId: string | null, accountName: string | undefined, region: string | null): OcsfObject {
  const account = accountId ? { account: { uid: accountId, type_id: 10, type: 'AWS Account', ...(accountName ? { name: accountName } : {}) } } : {};
  return { provider: 'AWS', ...(region && region !== 'global' ? { region } : {}), ...account };
}

const partitionOf = (arn: string): string | undefined => (arn.startsWith('arn:') ? arn.split(':')[1] : undefined);

/** One Compliance Finding for one scan result. */
export function complianceFinding(doc: ScanDocument, r: CheckResult, catalogue: MachineCatalogue): OcsfObject {
  const meta = catalogue.checks.find((c) => c.id === r.checkId);
  const status = OCSF_COMPLIANCE_STATUS[r.status];
  const severity = OCSF_SEVERITY[r.severity];
  const uid = resultUid(r);
  const time = epochMs(doc.finishedAt);
  const accountName = doc.accounts.find((a) => a.accountId === r.accountId)?.name;
  const partition = partitionOf(r.resourceArn);
  const accepted = acceptedOf(r);
  return {
    ...classification(COMPLIANCE_FINDING),
    severity_id: severity.id,
    severity: severity.name,
    time,
    message: r.reason,
    status_id: accepted ? 3 : 1,
    status: accepted ? 'Suppressed' : 'New',
    metadata: metadata(doc.tool.version, `${doc.scanId}/${uid}`, 'scan'),
    cloud: cloud(r.accountId, accountName, r.region),
    finding_info: {
      uid,
      title: meta?.title ?? r.checkId,
      ...(meta ? { desc: meta.rationale, types: [meta.service] } : {}),
      created_time: time,
      analytic: { uid: r.checkId, name: meta?.title ?? r.checkId, type_id: 1, type: 'Rule' },
    },
    compliance: {
      control: r.checkId,
      standards: frameworkNames(meta, catalogue),
      requirements: controlLabels(meta, catalogue),
      status_id: status.id,
      status: status.name,
      ...(r.reasonCode ? { status_code: r.reasonCode } : {}),
      status_detail: r.reason,
    },
    resources: [
      {
        uid: r.resourceArn,
        type: meta?.scope ?? 'resource',
        ...(r.region !== 'global' ? { region: r.region } : {}),
        ...(partition ? { cloud_partition: partition } : {}),
      },
    ],
    ...(meta ? { remediation: { desc: meta.remediation.summary, references: meta.remediation.docs } } : {}),
    unmapped: {
      scan_id: doc.scanId,
      check_id: r.checkId,
      status: r.status,
      ...(r.reasonCode ? { reason_code: r.reasonCode } : {}),
      ...(accepted ? { accepted } : {}),
    },
  };
}

export function scanToOcsf(doc: ScanDocument, catalogue: MachineCatalogue): OcsfObject[] {
  return doc.results.map((r) => complianceFinding(doc, r, catalogue));
}

type AnalysisFinding = Analysis['findings'][number];

/** The matrices of the ids rules carry: OCSF's one attack object ("MITRE ATT&CK® & ATLAS™") holds both, told apart by src_url. */
const MATRICES = [
  // ATT&CK: T1078 is a technique, T1078.004 its sub-technique (/techniques/T1078/004/).
  {
    id: /^(T\d{4})(?:\.(\d{3}))?$/,
    url: (t: string): string => `https://attack.mitre.org/techniques/${t.replace('.', '/')}/`,
    version: '17' as string | null,
  },
  // ATLAS: AML.T0051 is a technique, AML.T0051.000 its sub-technique (/techniques/AML.T0051.000). Its release numbering
  // differs from ATT&CK's, so no version is claimed.
  { id: /^(AML\.T\d{4})(?:\.(\d{3}))?$/, url: (t: string): string => `https://atlas.mitre.org/techniques/${t}`, version: null },
];

/** One OCSF attack per technique id; an id of neither matrix is passed on as the technique uid, without a link. */
function attacks(techniques: readonly string[]): OcsfObject[] {
  return techniques.map((id) => {
    for (const m of MATRICES) {
      const match = m.id.exec(id);
      if (!match) continue;
      const parent = match[1]!;
      const version = m.version ? { version: m.version } : {};
      return match[2]
        ? { technique: { uid: parent, src_url: m.url(parent) }, sub_technique: { uid: id, src_url: m.url(id) }, ...version }
        : { technique: { uid: id, src_url: m.url(id) }, ...version };
    }
    return { technique: { uid: id } };
  });
}

function evidence(f: AnalysisFinding): OcsfObject[] {
  const fromEvents = f.events.map((e) => ({
    name: e.action,
    api: { operation: e.action },
    ...(e.sourceIp ? { src_endpoint: { ip: e.sourceIp } } : {}),
    data: { time: e.time, actor: e.actor, target: e.target, outcome: e.outcome, evidence_ref: e.ref },
  }));
  const files = f.evidence.map((ref) => ({ name: 'evidence file', data: { evidence_ref: ref } }));
  return [...fromEvents, ...files];
}

/** One Detection Finding for one analysis finding. */
export function detectionFinding(analysis: Analysis, f: AnalysisFinding): OcsfObject {
  const severity = OCSF_SEVERITY[f.severity];
  const uid = findingUid(analysis.derivedFrom.bundleId, f.id);
  const first = epochMs(f.time);
  const last = f.events.reduce((max, e) => Math.max(max, epochMs(e.time)), first);
  const actorKey = f.actorKey ?? f.actor;
  return {
    ...classification(DETECTION_FINDING),
    severity_id: severity.id,
    severity: severity.name,
    time: epochMs(analysis.generatedAt),
    start_time: first,
    end_time: last,
    message: f.summary,
    status_id: 1,
    status: 'New',
    is_alert: true,
    metadata: metadata(analysis.tool.version, uid, 'analysis'),
    cloud: cloud(f.account, undefined, f.region),
    finding_info: {
      uid,
      title: f.title,
      desc: f.summary,
      types: [f.element],
      first_seen_time: first,
      last_seen_time: last,
      analytic: { uid: f.ruleId, name: f.title, type_id: 1, type: 'Rule' },
      ...(f.techniques.length > 0 ? { attacks: attacks(f.techniques) } : {}),
    },
    ...(actorKey
      ? {
          actor: {
            user: { uid: actorKey, ...(f.actor ? { name: f.actor } : {}), ...(f.accessKeyIds.length ? { credential_uid: f.accessKeyIds[0] } : {}) },
          },
        }
      : {}),
    ...(f.target ? { resources: [{ uid: f.target }] } : {}),
    evidences: evidence(f),
    ...(f.actions.length > 0 ? { remediation: { desc: f.actions.map((a) => a.text).join(' ') } } : {}),
    unmapped: {
      bundle_id: analysis.derivedFrom.bundleId,
      manifest_sha256: analysis.derivedFrom.manifestSha256,
      rule_id: f.ruleId,
      element: f.element,
      event_count: f.eventCount,
      access_key_ids: f.accessKeyIds,
      actions: f.actions,
    },
  };
}

export function analysisToOcsf(analysis: Analysis): OcsfObject[] {
  return analysis.findings.map((f) => detectionFinding(analysis, f));
}
