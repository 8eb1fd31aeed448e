// The few lines a person reads after a scan: score, coverage, what is blind, where the files are.
import { isCirtElement } from '../model/cirt.js';
import type { ScanDocument } from '../model/scan.js';
import type { Io } from './common.js';
import { sanitizeInline } from './terminal.js';
import { policyLines } from '../scan/policy.js';
import { rankGaps } from '../../reports/gaps.js';
import { atOrAbove } from '../model/severity.js';

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function printScanSummary(io: Io, doc: ScanDocument, files: string[]): void {
  const w = (line = ''): void => {
    io.stderr.write(`${line}\n`);
  };
  const assessed = doc.accounts.filter((a) => a.status === 'ASSESSED');
  const counts = { PASS: 0, FAIL: 0, NOT_APPLICABLE: 0, NOT_ASSESSED: 0 };
  for (const r of doc.results) counts[r.status]++;
  w();
  w(`Scan ${doc.scanId}: ${doc.accounts.length} account(s), ${assessed.length} assessed, ${doc.stats.apiCalls} API calls in ${(doc.stats.durationMs / 1000).toFixed(1)} s`);
  w(`Organization readiness score: ${doc.score.organization ?? 'n/a'} / 100   coverage: ${pct(doc.score.coverage)}`);
  w(`Results: ${counts.PASS} pass, ${counts.FAIL} fail, ${counts.NOT_ASSESSED} not assessed, ${counts.NOT_APPLICABLE} not applicable`);
  w();
  const nameWidth = Math.min(28, Math.max(7, ...doc.accounts.map((a) => a.name.length)));
  w(`  ${'account'.padEnd(nameWidth)}  ${'id'.padEnd(12)}  score  coverage  scenarios we could not fully investigate`);
  for (const a of doc.accounts) {
    const gaps = Object.entries(a.investigability)
      .filter(([k, v]) => (v === 'BLIND' || v === 'PARTIAL') && !isCirtElement(k))
      .map(([k, v]) => `${k}${v === 'BLIND' ? ' (blind)' : ''}`);
    const score = a.score === null ? '  n/a' : String(a.score).padStart(5);
    const detail = a.status === 'NOT_ASSESSED' ? `not assessed: ${sanitizeInline(a.reason).slice(0, 90)}` : gaps.join(', ') || 'none';
    w(`  ${sanitizeInline(a.name).slice(0, nameWidth).padEnd(nameWidth)}  ${a.accountId}  ${score}  ${pct(a.coverage).padStart(8)}  ${detail}`);
  }
  w();
  w('Could we investigate it? Accounts per answer (READY / PARTIAL / BLIND / UNKNOWN / not applicable):');
  const scenarios = [...new Set(doc.accounts.flatMap((a) => Object.keys(a.investigability)))].filter((k) => !isCirtElement(k));
  const width = Math.max(...scenarios.map((k) => k.length), 10);
  for (const scenario of scenarios) {
    const count = (v: string) => doc.accounts.filter((a) => a.investigability[scenario] === v).length;
    w(`  ${scenario.padEnd(width)}  ${['READY', 'PARTIAL', 'BLIND', 'UNKNOWN', 'NOT_APPLICABLE'].map(count).join(' / ')}`);
  }
  // The reports' own ranking, so the terminal and the reports name the same top gaps.
  const top = rankGaps(doc.results).filter((g) => atOrAbove(g.severity, 'high'));
  if (top.length > 0) {
    w();
    w('Top critical/high gaps:');
    for (const g of top.slice(0, 6)) w(`  ${g.checkId} (${g.severity}): ${g.failingResources} resource(s) in ${g.accountIds.length} account(s)`);
  }
  const policy = policyLines(doc);
  if (policy.length > 0) w();
  for (const line of policy) w(sanitizeInline(line));
  w();
  for (const f of files) w(`Wrote ${f}`);
}
