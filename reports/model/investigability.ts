// The investigability matrix: per account, could we investigate each scenario and CIRT element (READY, PARTIAL,
// BLIND, N/A or UNKNOWN), with per-column totals.
import type { AccountSummary, Readiness } from '../../src/model/scan.js';
import { CIRT_ELEMENTS, CIRT_ELEMENT_LABEL, isCirtElement } from '../../src/model/cirt.js';
import { SCENARIOS, type InvestigabilityColumn, type InvestigabilityMatrix, type InvestigabilityRow } from './types.js';

const zeroReadiness = (): Record<Readiness, number> => ({ READY: 0, PARTIAL: 0, BLIND: 0, NOT_APPLICABLE: 0, UNKNOWN: 0 });

export function columnLabel(key: string): string {
  if (isCirtElement(key)) return CIRT_ELEMENT_LABEL[key];
  const words = key.split(/[-_ ]+/).filter(Boolean);
  const label = words.map((w, i) => (w.toLowerCase() === 'ai' ? 'AI' : i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
  return label || key;
}

/** Columns: the four scenarios, then the CIRT elements, then any other key a scan carries (sorted). */
export function buildInvestigability(accounts: AccountSummary[]): InvestigabilityMatrix {
  const present = new Set<string>();
  for (const a of accounts) for (const k of Object.keys(a.investigability ?? {})) present.add(k);
  const columns: InvestigabilityColumn[] = [];
  for (const s of SCENARIOS) if (present.has(s)) columns.push({ key: s, label: columnLabel(s), kind: 'scenario' });
  for (const c of CIRT_ELEMENTS) if (present.has(c)) columns.push({ key: c, label: columnLabel(c), kind: 'cirt' });
  const known = new Set<string>([...SCENARIOS, ...CIRT_ELEMENTS]);
  const others = [...present].filter((k) => !known.has(k)).sort();
  for (const k of others) columns.push({ key: k, label: columnLabel(k), kind: 'other' });

  const totals = columns.map(() => zeroReadiness());
  const rows: InvestigabilityRow[] = accounts.map((a) => {
    const cells = columns.map((c, i) => {
      const v = a.investigability?.[c.key] ?? 'UNKNOWN';
      totals[i]![v] = (totals[i]![v] ?? 0) + 1;
      return v;
    });
    return { accountId: a.accountId, name: a.name, status: a.status, cells };
  });
  return { columns, rows, totals };
}
