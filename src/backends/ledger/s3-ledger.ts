// The ledger of an app whose store is S3 (SPEC §11):
// `s3://<bucket>/<prefix><app-name>/ledger/<group>/<id>.json`, through the
// same narrow S3 seam as the revision store. A PutObject replaces the whole
// object at once, so concurrent writers of different records never collide.

import type { S3Api } from '../aws/clients.js';
import { toIonflowError } from '../aws/hints.js';
import { checkedName, type LedgerStore, parseRecord, recordText } from './store.js';
import type { LedgerRecord } from './record.js';

const MISSING = new Set(['NoSuchKey', 'NotFound']);

export class S3Ledger implements LedgerStore {
  readonly where: string;

  constructor(
    private readonly s3: () => Promise<S3Api>,
    private readonly bucket: string,
    /** `<prefix><app-name>/ledger/` */
    private readonly prefix: string,
  ) {
    this.where = `s3://${bucket}/${prefix}`;
  }

  async put(record: LedgerRecord, id: string): Promise<void> {
    const Key = `${this.prefix}${checkedName(record.group)}/${checkedName(id)}.json`;
    try {
      await (await this.s3()).putObject({ Bucket: this.bucket, Key, Body: recordText(record), ContentType: 'application/json' });
    } catch (err) {
      throw toIonflowError(err, `writing the ledger record s3://${this.bucket}/${Key}`);
    }
  }

  async get(group: string, id: string): Promise<LedgerRecord | undefined> {
    return this.read(`${this.prefix}${group}/${id}.json`);
  }

  private async read(Key: string): Promise<LedgerRecord | undefined> {
    try {
      const out = await (await this.s3()).getObject({ Bucket: this.bucket, Key });
      return parseRecord((await out.Body?.transformToString('utf8')) ?? '');
    } catch (err) {
      if (MISSING.has((err as Error).name)) return undefined;
      throw toIonflowError(err, `reading s3://${this.bucket}/${Key}`);
    }
  }

  async list(group?: string): Promise<LedgerRecord[]> {
    const s3 = await this.s3();
    const Prefix = group === undefined ? this.prefix : `${this.prefix}${group}/`;
    const keys: string[] = [];
    try {
      for await (const page of s3.listObjectsV2Pages({ Bucket: this.bucket, Prefix })) {
        for (const o of page.Contents ?? []) if (o.Key?.endsWith('.json')) keys.push(o.Key);
      }
    } catch (err) {
      throw toIonflowError(err, `listing s3://${this.bucket}/${Prefix}`);
    }
    const records = await Promise.all(keys.map((k) => this.read(k)));
    return records.filter((r): r is LedgerRecord => r !== undefined);
  }
}
