// Reading saved scans from disk (the I/O edge of reports/). Structural validation only; the CLI may also validate
// against src/model/schemas/scan.schema.json.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { toCirtElement } from '../src/model/cirt.js';
import type { Readiness, ScanDocument } from '../src/model/scan.js';
import { READINESS_LEVELS, RESULT_STATUSES, SCAN_SCHEMA_VERSION, SEVERITIES } from '../src/model/scan.js';

export type ScanLoadErrorCode = 'READ_ERROR' | 'INVALID_JSON' | 'UNSUPPORTED_SCHEMA_VERSION' | 'INVALID_STRUCTURE' | 'NO_SCANS';

export class ScanLoadError extends Error {
  override readonly name = 'ScanLoadError';
  constructor(
    readonly file: string,
    readonly code: ScanLoadErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const STATUS = new Set<string>(RESULT_STATUSES);
const SEVERITY = new Set<string>(SEVERITIES);
const READINESS = new Set<string>(READINESS_LEVELS);

/** Throws ScanLoadError (INVALID_STRUCTURE / UNSUPPORTED_SCHEMA_VERSION) when `doc` is not a schemaVersion 1 scan. */
export function validateScanDocument(doc: unknown, file = '<scan>'): asserts doc is ScanDocument {
  const bad = (where: string, what: string): never => {
    throw new ScanLoadError(file, 'INVALID_STRUCTURE', `${file}: not a valid forensight scan.json: ${where} ${what}`);
  };
  if (!isObj(doc)) bad('the document', 'must be a JSON object');
  const d = doc as Obj;
  if (d.schemaVersion !== SCAN_SCHEMA_VERSION) {
    if (d.schemaVersion === undefined) bad('schemaVersion', 'is missing');
    throw new ScanLoadError(
      file,
      'UNSUPPORTED_SCHEMA_VERSION',
      `${file}: unsupported scan.json schemaVersion ${JSON.stringify(d.schemaVersion)}; this version of forensight reads schemaVersion ${SCAN_SCHEMA_VERSION}. ` +
        `Re-run the scan with this forensight version, or use a forensight release that reads schemaVersion ${JSON.stringify(d.schemaVersion)}.`,
    );
  }
  const str = (o: Obj, k: string, where: string): void => {
    if (typeof o[k] !== 'string') bad(`${where}.${k}`, 'must be a string');
  };
  const num = (o: Obj, k: string, where: string, nullable = false): void => {
    const v = o[k];
    if (nullable && v === null) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(`${where}.${k}`, nullable ? 'must be a number or null' : 'must be a number');
  };
  if (!isObj(d.tool)) bad('tool', 'must be an object');
  str(d.tool as Obj, 'version', 'tool');
  str(d, 'scanId', '$');
  str(d, 'startedAt', '$');
  str(d, 'finishedAt', '$');
  if (d.organization !== null && d.organization !== undefined) {
    if (!isObj(d.organization)) bad('organization', 'must be an object or null');
    str(d.organization as Obj, 'id', 'organization');
  }
  if (d.parameters !== undefined && !isObj(d.parameters)) bad('parameters', 'must be an object');
  if (!isObj(d.score)) bad('score', 'must be an object');
  num(d.score as Obj, 'organization', 'score', true);
  num(d.score as Obj, 'coverage', 'score');
  if (!Array.isArray(d.accounts)) bad('accounts', 'must be an array');
  const ids = new Set<string>();
  (d.accounts as unknown[]).forEach((a, i) => {
    const w = `accounts[${i}]`;
    if (!isObj(a)) bad(w, 'must be an object');
    const acc = a as Obj;
    str(acc, 'accountId', w);
    str(acc, 'name', w);
    if (acc.status !== 'ASSESSED' && acc.status !== 'NOT_ASSESSED') bad(`${w}.status`, 'must be ASSESSED or NOT_ASSESSED');
    if (acc.reason !== undefined && typeof acc.reason !== 'string') bad(`${w}.reason`, 'must be a string');
    if (!Array.isArray(acc.regions)) bad(`${w}.regions`, 'must be an array');
    num(acc, 'score', w, true);
    num(acc, 'coverage', w);
    if (!isObj(acc.investigability)) bad(`${w}.investigability`, 'must be an object');
    for (const [k, v] of Object.entries(acc.investigability as Obj)) {
      if (typeof v !== 'string' || !READINESS.has(v)) bad(`${w}.investigability["${k}"]`, `must be one of ${READINESS_LEVELS.join(', ')}`);
    }
    if (ids.has(acc.accountId as string)) bad(`${w}.accountId`, `duplicates account ${String(acc.accountId)}`);
    ids.add(acc.accountId as string);
  });
  if (!Array.isArray(d.results)) bad('results', 'must be an array');
  const results = d.results as unknown[];
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    const w = `results[${i}]`;
    if (!isObj(r)) bad(w, 'must be an object');
    const o = r as Obj;
    if (typeof o.checkId !== 'string') bad(`${w}.checkId`, 'must be a string');
    if (typeof o.accountId !== 'string') bad(`${w}.accountId`, 'must be a string');
    if (typeof o.region !== 'string') bad(`${w}.region`, 'must be a string');
    if (typeof o.resourceArn !== 'string') bad(`${w}.resourceArn`, 'must be a string');
    if (typeof o.status !== 'string' || !STATUS.has(o.status)) bad(`${w}.status`, `must be one of ${RESULT_STATUSES.join(', ')}`);
    if (typeof o.severity !== 'string' || !SEVERITY.has(o.severity)) bad(`${w}.severity`, `must be one of ${SEVERITIES.join(', ')}`);
    if (typeof o.reason !== 'string') bad(`${w}.reason`, 'must be a string');
    if (o.evidence !== undefined && !isObj(o.evidence)) bad(`${w}.evidence`, 'must be an object');
  }
}

/** Scans written before the one CIRT list used "cirt:access" keys; they read as "access". */
function withCurrentElementIds(investigability: Record<string, Readiness>): Record<string, Readiness> {
  return Object.fromEntries(Object.entries(investigability).map(([k, v]) => [toCirtElement(k) ?? k, v]));
}

/** Reads, parses and validates one scan.json. Throws ScanLoadError with a message naming the file. */
export function loadScan(path: string): ScanDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ScanLoadError(path, 'READ_ERROR', `${path}: cannot read scan file: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ScanLoadError(path, 'INVALID_JSON', `${path}: not valid JSON: ${(e as Error).message}`);
  }
  validateScanDocument(doc, path);
  const d = doc;
  // Tolerate optional fields being absent in hand-made files.
  d.parameters ??= {};
  d.organization ??= null;
  for (const a of d.accounts) {
    a.reason ??= '';
    a.investigability = withCurrentElementIds(a.investigability);
  }
  for (const r of d.results) r.evidence ??= {};
  return d;
}

/**
 * Loads one scan file, or every scan in a directory (`*.json` directly inside it, plus `<subdir>/scan.json`),
 * oldest to newest by startedAt. Any file that is not a schemaVersion 1 scan is an error.
 */
export function loadScans(pathOrDir: string): ScanDocument[] {
  let isDir: boolean;
  try {
    isDir = statSync(pathOrDir).isDirectory();
  } catch (e) {
    throw new ScanLoadError(pathOrDir, 'READ_ERROR', `${pathOrDir}: cannot read: ${(e as Error).message}`);
  }
  if (!isDir) return [loadScan(pathOrDir)];
  const files: string[] = [];
  for (const entry of readdirSync(pathOrDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(pathOrDir, entry.name);
    if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) files.push(full);
    else if (entry.isDirectory()) {
      const inner = join(full, 'scan.json');
      try {
        if (statSync(inner).isFile()) files.push(inner);
      } catch {
        /* no scan.json in this subdirectory */
      }
    }
  }
  if (files.length === 0) throw new ScanLoadError(pathOrDir, 'NO_SCANS', `${pathOrDir}: no scan.json files found in this directory`);
  const scans = files.map(loadScan);
  return scans.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.scanId.localeCompare(b.scanId));
}
