// The chain-of-custody log: custody.jsonl, append-only, each entry hash-chained to the one before it.
// hash = sha256(canonical JSON of the entry without its hash); the first prevHash is a fixed genesis value.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { canonicalJson, sha256Hex } from './canonical.js';

export const CUSTODY_GENESIS = sha256Hex('forensight custody chain genesis v1');

export interface CustodyActor {
  tool: 'forensight';
  toolVersion: string;
  /** ARN of the credentials that ran the tool (sts:GetCallerIdentity). */
  callerArn: string;
  /** Role session name used in every member account: what shows in their CloudTrail. */
  sessionName: string;
  /** Operating-system user and host that ran the tool. */
  osUser: string;
  host: string;
}

/** The operating-system user running the tool, for the custody actor and the manifest ('unknown' where the OS cannot say). */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export interface CustodyEntry {
  seq: number;
  at: string;
  actor: CustodyActor;
  action: string;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type UnsealedEntry = Omit<CustodyEntry, 'hash'>;

export function hashEntry(entry: UnsealedEntry): string {
  const { seq, at, actor, action, detail, prevHash } = entry;
  return sha256Hex(canonicalJson({ seq, at, actor, action, detail, prevHash }));
}

export function makeEntry(
  previous: CustodyEntry | undefined,
  actor: CustodyActor,
  action: string,
  detail: Record<string, unknown>,
  at = new Date(),
): CustodyEntry {
  const base: UnsealedEntry = {
    seq: previous ? previous.seq + 1 : 0,
    at: at.toISOString(),
    actor,
    action,
    detail,
    prevHash: previous ? previous.hash : CUSTODY_GENESIS,
  };
  return { ...base, hash: hashEntry(base) };
}

export interface ChainProblem {
  /** 1-based line of custody.jsonl. */
  line: number;
  message: string;
}

export interface ChainCheck {
  entries: CustodyEntry[];
  problems: ChainProblem[];
  /** Hash of the last entry whose chain is intact up to it. */
  headHash: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Re-derives every hash and link of a custody log and names each break. Pure. */
export function verifyCustodyChain(text: string): ChainCheck {
  const problems: ChainProblem[] = [];
  const entries: CustodyEntry[] = [];
  if (text.length === 0) return { entries, problems: [{ line: 1, message: 'custody log is empty' }], headHash: CUSTODY_GENESIS };
  if (!text.endsWith('\n'))
    problems.push({
      line: text.split('\n').length,
      message: 'custody log does not end with a newline: the last entry is truncated or was appended by hand',
    });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let prevHash = CUSTODY_GENESIS;
  let expectedSeq = 0;
  let intactHead = CUSTODY_GENESIS;
  let intact = true;
  lines.forEach((line, index) => {
    const n = index + 1;
    let entry: CustodyEntry;
    try {
      entry = JSON.parse(line) as CustodyEntry;
    } catch {
      problems.push({ line: n, message: 'entry is not valid JSON' });
      intact = false;
      return;
    }
    if (
      !entry ||
      typeof entry !== 'object' ||
      typeof entry.hash !== 'string' ||
      typeof entry.prevHash !== 'string' ||
      typeof entry.seq !== 'number'
    ) {
      problems.push({ line: n, message: 'entry lacks seq, prevHash or hash' });
      intact = false;
      return;
    }
    entries.push(entry);
    if (entry.seq !== expectedSeq) {
      problems.push({
        line: n,
        message: `sequence break: expected seq ${expectedSeq}, found ${entry.seq} (an entry was removed, inserted or reordered)`,
      });
      intact = false;
    }
    expectedSeq = entry.seq + 1;
    if (entry.prevHash !== prevHash) {
      problems.push({ line: n, message: `chain break at seq ${entry.seq}: prevHash does not match the hash of the entry before it` });
      intact = false;
    }
    const recomputed = hashEntry(entry);
    if (!HEX64.test(entry.hash) || recomputed !== entry.hash) {
      problems.push({ line: n, message: `entry seq ${entry.seq} was altered: its content no longer matches its hash` });
      intact = false;
    }
    prevHash = entry.hash;
    if (intact) intactHead = entry.hash;
  });
  return { entries, problems, headHash: intactHead };
}

/** Appends entries to custody.jsonl in order; opened with exclusive create (or, to continue a sealed bundle, append). */
export class CustodyLog {
  private last: CustodyEntry | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly actor: CustodyActor,
    last?: CustodyEntry,
  ) {
    this.last = last;
  }

  static async create(path: string, actor: CustodyActor): Promise<CustodyLog> {
    return new CustodyLog(await open(path, 'wx'), actor);
  }

  /** Continue an existing log (preservation after sealing); refuses a log whose chain is broken. */
  static async resume(path: string, actor: CustodyActor): Promise<CustodyLog> {
    const check = verifyCustodyChain(await readFile(path, 'utf8'));
    if (check.problems.length > 0) throw new Error(`custody log ${path} is broken (${check.problems[0]!.message}); refusing to extend it`);
    return new CustodyLog(await open(path, 'a'), actor, check.entries[check.entries.length - 1]);
  }

  get head(): CustodyEntry | undefined {
    return this.last;
  }

  /** Entries are written in call order; the returned promise resolves once the line is on disk. */
  append(action: string, detail: Record<string, unknown>): Promise<CustodyEntry> {
    if (this.closed) return Promise.reject(new Error('custody log is closed'));
    const entry = makeEntry(this.last, this.actor, action, detail);
    this.last = entry;
    const write = this.queue.then(() => this.handle.write(`${JSON.stringify(entry)}\n`)).then(() => entry);
    this.queue = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.handle.sync().catch(() => undefined);
    await this.handle.close();
  }
}
