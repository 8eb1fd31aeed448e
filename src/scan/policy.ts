// What the user's decisions add to a finished scan: accepted risks (--accept), the coverage each account lost
// and why, and the CI gate (--fail-on, --min-coverage). Pure; the CLI reads the files and the clock.
import type { GateOutcome, ScanDocument } from '../model/scan.js';
import { applyAcceptedRisks, type AcceptFile } from './accept.js';
import { coverageLoss, evaluateGate, gateSentences, type GateOptions } from './gate.js';
import { scoreResults } from './scoring.js';

export interface ScanPolicy {
  accept?: AcceptFile;
  gate?: GateOptions;
  now: Date;
}

export function applyScanPolicy(doc: ScanDocument, policy: ScanPolicy): { document: ScanDocument; gate: GateOutcome | null } {
  let document: ScanDocument = { ...doc };
  if (policy.accept) {
    const { results, entries } = applyAcceptedRisks(doc.results, policy.accept, policy.now);
    document = {
      ...document,
      results,
      score: { ...doc.score, organizationExcludingAccepted: scoreResults(results, { excludeAccepted: true }).score },
      acceptedRisks: { file: policy.accept.file, entries },
    };
  }
  document.coverageLoss = coverageLoss(document);
  const gate = policy.gate ? evaluateGate(document, policy.gate) : null;
  if (gate) document.gate = gate;
  return { document, gate };
}

const percent = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** Plain lines for the terminal summary: accepted risks, accounts that lost coverage and why, the gate verdict. */
export function policyLines(doc: ScanDocument, maxAccounts = 8): string[] {
  const lines: string[] = [];
  const accepted = doc.results.filter((r) => r.accepted).length;
  if (doc.acceptedRisks) {
    const excluded = doc.score.organizationExcludingAccepted;
    lines.push(
      `Accepted risks: ${accepted} FAIL result(s) accepted by ${doc.acceptedRisks.entries.filter((e) => e.status === 'active').length} entry(ies); score without them: ${excluded ?? 'n/a'}`,
    );
    for (const e of doc.acceptedRisks.entries.filter((x) => x.status === 'expired'))
      lines.push(`  expired: ${e.source} (${e.checkId}, owner ${e.owner}) expired on ${e.expires}; its ${e.matched} FAIL result(s) count again`);
  }
  const lost = (doc.coverageLoss ?? []).filter((l) => !l.inactive);
  if (lost.length > 0) {
    lines.push(`Coverage lost in ${lost.length} account(s):`);
    for (const l of lost.slice(0, maxAccounts)) {
      const top = l.causes[0]!;
      lines.push(
        `  ${l.name} (${l.accountId}) ${percent(l.coverage)} assessed, ${l.notAssessed} not assessed; mostly ${top.reasonCode}: ${top.example.slice(0, 120)}`,
      );
    }
    if (lost.length > maxAccounts) lines.push(`  … and ${lost.length - maxAccounts} more (scan.json coverageLoss)`);
  }
  if (doc.gate) lines.push(...gateSentences(doc.gate));
  return lines;
}
