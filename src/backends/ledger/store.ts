// Where an app's ledger lives (SPEC §11): one JSON object per deployment,
// `<group>/<id>.json`, in a folder (local store, ion-dev apps) or under an S3
// prefix. Each record is its own whole object written atomically, so two
// writers never lose each other's records and a reader never sees half a one.

import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { orIfMissing } from '../../fs/or-if-missing.js';
import type { LedgerRecord } from './record.js';
import { jsonText } from '../../text/json.js';

export interface LedgerStore {
  /** For messages: the folder or s3:// URL. */
  readonly where: string;
  put(record: LedgerRecord, id: string): Promise<void>;
  get(group: string, id: string): Promise<LedgerRecord | undefined>;
  /** Every record of the group (or of every group), in no particular order. */
  list(group?: string): Promise<LedgerRecord[]>;
}

/** Group keys and ids are file names here; anything else could escape the folder. */
const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkedName(name: string): string {
  if (!SAFE.test(name)) throw new Error(`ledger: ${JSON.stringify(name)} is not usable as a file name`);
  return name;
}

export const recordText = (record: LedgerRecord) => jsonText(record);

export function parseRecord(text: string): LedgerRecord | undefined {
  try {
    const value = JSON.parse(text) as LedgerRecord;
    return typeof value.group === 'string' && typeof value['deploy-status'] === 'string' ? value : undefined;
  } catch {
    // A record another tool mangled is left out rather than hiding every other one.
    return undefined;
  }
}

export class FolderLedger implements LedgerStore {
  constructor(readonly where: string) {}

  async put(record: LedgerRecord, id: string): Promise<void> {
    const dir = join(this.where, checkedName(record.group));
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, `${checkedName(id)}.json`), recordText(record));
  }

  async get(group: string, id: string): Promise<LedgerRecord | undefined> {
    if (!SAFE.test(group) || !SAFE.test(id)) return undefined;
    const text = await orIfMissing(readFile(join(this.where, group, `${id}.json`), 'utf8'), undefined);
    return text === undefined ? undefined : parseRecord(text);
  }

  async list(group?: string): Promise<LedgerRecord[]> {
    const groups = group !== undefined ? [group] : await orIfMissing(readdir(this.where), []);
    const records: LedgerRecord[] = [];
    for (const g of groups.filter((n) => SAFE.test(n))) {
      const names = await orIfMissing(readdir(join(this.where, g)), []);
      const texts = await Promise.all(
        names.filter((n) => n.endsWith('.json') && SAFE.test(n)).map((n) => orIfMissing(readFile(join(this.where, g, n), 'utf8'), undefined)),
      );
      for (const t of texts) {
        const r = t === undefined ? undefined : parseRecord(t);
        if (r) records.push(r);
      }
    }
    return records;
  }
}
