// What the scan's users decided and what the scan could not see: accepted risks (with owner and expiry), the
// accounts that lost coverage and why, and the CI gate verdict. Pure view model for both renderers.
import type { AcceptedRiskEntry, CheckResult, CoverageLoss, GateOutcome, ScanDocument } from '../src/model/scan.js';

export interface DecisionsView {
  acceptedRisks: { file: string; entries: AcceptedRiskEntry[]; results: CheckResult[] } | null;
  /** The score with accepted FAILs left out; undefined when no accept file was given. */
  scoreExcludingAccepted: number | null | undefined;
  /** Accounts that lost coverage (suspended and closed ones left out), worst first. */
  coverageLoss: CoverageLoss[];
  gate: GateOutcome | null;
}

export function buildDecisionsView(scan: ScanDocument): DecisionsView {
  return {
    acceptedRisks: scan.acceptedRisks ? { ...scan.acceptedRisks, results: scan.results.filter((r) => r.accepted) } : null,
    scoreExcludingAccepted: scan.score.organizationExcludingAccepted,
    coverageLoss: (scan.coverageLoss ?? []).filter((l) => !l.inactive),
    gate: scan.gate ?? null,
  };
}
