// The local revision store (SPEC §1, §5): `<dir>/<app-name>/<name>.zip` and
// `<name>.json`. The zip is streamed to a temporary file and renamed; the
// metadata is written last, and its presence is what makes a revision
// registered, so an interrupted push leaves nothing a reader would take.

import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { assertSafeName } from '../../model/names.js';
import { IonflowError } from '../../model/errors.js';
import type { PutRevisionInput, RevisionStore, StoredLookup } from '../types.js';
import { type RevisionMeta, revisionName } from '../../model/revision.js';
import { DigestStream } from '../digest.js';
import { lookupInTurn, revisionMeta, unregistersBeforeReplacing } from '../revision-meta.js';
import { removeDeadTemps, tempPathFor, writeFileAtomic } from '../../fs/atomic-write.js';
import { jsonText } from '../../text/json.js';
import { orIfMissing } from '../../fs/or-if-missing.js';

async function readMeta(path: string): Promise<RevisionMeta | undefined> {
  const text = await orIfMissing(readFile(path, 'utf8'), undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as RevisionMeta;
  } catch (err) {
    throw new IonflowError('stepFailed', `${path} is not revision metadata: ${(err as Error).message}`, {
      hint: 'push that revision again with --force to rewrite it',
      cause: err,
    });
  }
}

export class LocalRevisionStore implements RevisionStore {
  readonly kind = 'local' as const;
  readonly where: string;

  constructor(private readonly dir: string) {
    this.where = dir;
  }

  private paths(appName: string, name: string) {
    assertSafeName(appName, 'app name');
    if (name !== '') assertSafeName(name, 'revision name');
    const folder = join(this.dir, appName);
    return { folder, zip: join(folder, `${name}.zip`), json: join(folder, `${name}.json`) };
  }

  get(appName: string, name: string): Promise<RevisionMeta | undefined> {
    return readMeta(this.paths(appName, name).json);
  }

  async put(input: PutRevisionInput): Promise<RevisionMeta> {
    const { folder, zip, json } = this.paths(input.appName, revisionName(input.name));
    await mkdir(folder, { recursive: true });
    await removeDeadTemps(folder);
    const temp = tempPathFor(zip);
    const digest = new DigestStream({ onProgress: input.onProgress });
    // Open the file before streaming: a stream that opens lazily can create the
    // file after a failing source has already made us remove it.
    const file = await open(temp, 'wx');
    try {
      await pipeline(input.body, digest, file.createWriteStream(), { signal: input.signal });
      if (unregistersBeforeReplacing(input.name)) await rm(json, { force: true });
      await rename(temp, zip);
    } catch (err) {
      await file.close().catch(() => {});
      await rm(temp, { force: true });
      throw err;
    }
    const meta = await revisionMeta(input, digest, zip);
    await writeFileAtomic(json, jsonText(meta));
    return meta;
  }

  async holds(meta: RevisionMeta): Promise<boolean> {
    const info = await stat(this.paths(meta.appName, meta.name).zip).catch(() => undefined);
    return info?.isFile() === true && info.size === meta.size;
  }

  lookup(appName: string, name: string): StoredLookup {
    return lookupInTurn(this, appName, name);
  }

  async ensureRegistered(): Promise<void> {}

  async fetchZip(meta: RevisionMeta): Promise<{ path: string; cleanup(): Promise<void> }> {
    return { path: this.paths(meta.appName, meta.name).zip, cleanup: async () => {} };
  }

  async list(appName: string): Promise<RevisionMeta[]> {
    const { folder } = this.paths(appName, '');
    const files = await orIfMissing(readdir(folder), []);
    const metas = await Promise.all(files.filter((f) => f.endsWith('.json') && !f.startsWith('.')).map((f) => readMeta(join(folder, f))));
    return metas.filter((m): m is RevisionMeta => m !== undefined).sort((a, b) => b.pushedAt.localeCompare(a.pushedAt));
  }

  async remoteDeployGroups(): Promise<string[]> {
    return [];
  }
}
