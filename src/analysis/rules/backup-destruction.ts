// Recovery removed before (or after) destruction: AWS Backup vaults, vault locks, plans and Recycle Bin rules
// deleted, and recovery points and snapshots (AWS Backup, EBS, RDS) deleted in numbers by one actor. A single
// snapshot deleted by a retention script is routine; many by one actor, or the vault itself, is not.
import { isSuccess, type TimelineEvent } from '../event.js';
import {
  actorKeyOf,
  attempted,
  credentialActions,
  doneOrDenied,
  EventSample,
  finding,
  inWindow,
  isExpected,
  isTrail,
  listSome,
  lower,
  requestParameters,
  say,
  str,
} from './support.js';
import { countParam, defineRule, type Finding, type RuleMeta, type Severity } from './types.js';

interface Params {
  recoveryPointThreshold: number;
}

const meta: RuleMeta<Params> = {
  id: 'backup-destruction',
  title: 'Backups removed: vaults, vault locks, plans, Recycle Bin rules, or many recovery points and snapshots',
  severity: 'high',
  element: 'data-store-changes',
  techniques: ['T1490', 'T1485'],
  rationale:
    'Ransomware and wipers remove the way back first: AWS Backup vaults, their vault lock (the immutability guarantee), backup plans and selections, Recycle Bin retention rules, and the recovery points, AMIs and EBS / RDS snapshots themselves. A vault, vault lock or Recycle Bin rule deleted is high on its own; plans and selections medium; recovery points, AMIs and snapshots are reported when one actor deletes (or deregisters) at least recoveryPointThreshold of them in the window. A denied attempt is one step lower.',
  messages: {
    change: '{what} by {actor}{attempt}',
    points: '{actor} deleted {count} recovery point(s) and snapshot(s) ({kinds}): {ids}{attempt}',
  },
  params: {
    recoveryPointThreshold: countParam(5, 'Recovery points and snapshots deleted by one actor in the window that are reported.'),
  },
  needsBaseline: false,
  response: {
    containment: [
      'Deactivate the credential; apply a vault lock (compliance mode) and a Recycle Bin rule; deny backup:Delete*, ec2:DeleteSnapshot and rds:Delete*Snapshot outside break-glass',
    ],
    recovery: [
      'Restore snapshots still in the Recycle Bin; recover from copies in another account or Region; recreate the vault, plan and selections',
    ],
  },
};

const SINGLE: Record<string, { what: (p: Record<string, unknown>) => string; severity: Severity }> = {
  'backup.amazonaws.com DeleteBackupVault': { what: (p) => `Backup vault ${str(p.backupVaultName) ?? '?'} deleted`, severity: 'high' },
  'backup.amazonaws.com DeleteBackupVaultLockConfiguration': {
    what: (p) => `Vault lock of backup vault ${str(p.backupVaultName) ?? '?'} removed (backups no longer immutable)`,
    severity: 'high',
  },
  'backup.amazonaws.com DeleteBackupPlan': { what: (p) => `Backup plan ${str(p.backupPlanId) ?? '?'} deleted`, severity: 'medium' },
  'backup.amazonaws.com DeleteBackupSelection': {
    what: (p) => `Backup selection ${str(p.selectionId) ?? '?'} of plan ${str(p.backupPlanId) ?? '?'} deleted`,
    severity: 'medium',
  },
  'rbin.amazonaws.com DeleteRule': { what: (p) => `Recycle Bin retention rule ${str(p.identifier) ?? '?'} deleted`, severity: 'high' },
};

const POINTS: Record<string, { kind: string; id: (p: Record<string, unknown>) => string | null }> = {
  'backup.amazonaws.com DeleteRecoveryPoint': { kind: 'AWS Backup recovery point', id: (p) => str(p.recoveryPointArn) },
  'ec2.amazonaws.com DeleteSnapshot': { kind: 'EBS snapshot', id: (p) => str(p.snapshotId) },
  // An AMI is a machine backup too; with deleteAssociatedSnapshots its snapshots go with it.
  'ec2.amazonaws.com DeregisterImage': { kind: 'AMI', id: (p) => str(p.imageId) },
  'rds.amazonaws.com DeleteDBSnapshot': { kind: 'RDS snapshot', id: (p) => str(p.dBSnapshotIdentifier) },
  'rds.amazonaws.com DeleteDBClusterSnapshot': { kind: 'RDS cluster snapshot', id: (p) => str(p.dBClusterSnapshotIdentifier) },
  'rds.amazonaws.com DeleteDBInstanceAutomatedBackup': {
    kind: 'RDS automated backup',
    id: (p) => str(p.dbiResourceId) ?? str(p.dBInstanceAutomatedBackupsArn),
  },
};

interface Deleter {
  sample: EventSample;
  ids: Set<string>;
  kinds: Set<string>;
}
const MAX_ACTORS = 10_000;
const MAX_IDS = 1_000;

export const backupDestruction = defineRule<Params>({
  meta,
  create(ctx) {
    const findings: Finding[] = [];
    const deleters = new Map<string, Deleter>();
    const single = (e: TimelineEvent, what: string, severity: Severity) =>
      findings.push(
        finding(meta, [e], say(meta.messages.change, { what, actor: e.actor, attempt: attempted(e) }), {
          severity: isSuccess(e) ? severity : lower(severity),
        }),
      );
    return {
      event(e) {
        if (!isTrail(e) || !doneOrDenied(e) || !inWindow(e, ctx)) return;
        const name = `${e.service ?? ''} ${e.action}`;
        const p = requestParameters(e);
        const s = SINGLE[name];
        if (s) return void single(e, s.what(p), s.severity);
        const point = POINTS[name];
        if (!point || isExpected(e, ctx)) return;
        // Done and denied deletions are counted apart: one is destruction, the other an attempt.
        const key = `${actorKeyOf(e) ?? e.actor ?? '?'}|${isSuccess(e) ? 'done' : 'denied'}`;
        let d = deleters.get(key);
        if (!d) {
          if (deleters.size >= MAX_ACTORS) return;
          d = { sample: new EventSample(), ids: new Set(), kinds: new Set() };
          deleters.set(key, d);
        }
        d.sample.add(e);
        if (d.ids.size < MAX_IDS) d.ids.add(point.id(p) ?? e.target ?? '?');
        d.kinds.add(point.kind);
      },
      finish() {
        for (const d of deleters.values()) {
          if (d.sample.count < ctx.params.recoveryPointThreshold) continue;
          const e = d.sample.first!;
          findings.push(
            finding(
              meta,
              d.sample,
              say(meta.messages.points, {
                actor: e.actor,
                count: d.sample.count,
                kinds: [...d.kinds].join(', '),
                ids: listSome(d.ids, 5, d.sample.count),
                attempt: isSuccess(e) ? '' : ' (attempts denied)',
              }),
              { severity: isSuccess(e) ? meta.severity : lower(meta.severity), target: null, actions: credentialActions(e) },
            ),
          );
        }
        return { findings, notAssessed: null };
      },
    };
  },
});
