// Keeps each account's regional inventory on disk from the moment its collection is complete until the account
// is evaluated, so a scan's memory holds one account's raw inventory at a time, not the Organization's. Files are
// named by a counter (never by anything AWS returned) in a private temporary directory removed by close().
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { RegionInventory } from '../model/inventory.js';

type Regions = Record<string, RegionInventory>;

export class RegionSpill {
  private dir: string | undefined;
  private readonly files = new Map<string, string>();
  private next = 0;

  constructor(private readonly parent: string = tmpdir()) {}

  /**
   * Writes an account's regions out; false when they could not be written (disk full, no temporary directory),
   * in which case the caller keeps them in memory. v8 serialisation keeps every value as it was (undefined
   * properties included), so the regions read back are the ones collected.
   */
  async put(accountId: string, regions: Regions): Promise<boolean> {
    try {
      this.dir ??= mkdtempSync(join(this.parent, 'forensight-scan-'));
      const file = join(this.dir, `${this.next++}.v8`);
      await writeFile(file, serialize(regions), { mode: 0o600 });
      this.files.set(accountId, file);
      return true;
    } catch {
      return false;
    }
  }

  has(accountId: string): boolean {
    return this.files.has(accountId);
  }

  /** The regions written for the account (read once: the file is removed). */
  take(accountId: string): Regions {
    const file = this.files.get(accountId);
    if (file === undefined) throw new Error(`no spilled regions for account ${accountId}`);
    const regions = deserialize(readFileSync(file)) as Regions;
    rmSync(file, { force: true });
    this.files.delete(accountId);
    return regions;
  }

  close(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.files.clear();
  }
}
