// The RevisionStore of an ion-dev app. Its revisions live in Datomic's code
// bucket, written by ion-dev's push in Datomic's private layout, which
// ionflow neither writes nor reads: so a revision is known by name only
// (ion-dev's deploy says when it was never pushed), and writing or fetching a
// zip through ionflow is refused. Pushing is ion-dev's (./push.ts).

import type { IonDevConfig } from '../../model/config.js';
import { IonflowError } from '../../model/errors.js';
import type { RevisionMeta, RevisionName } from '../../model/revision.js';
import { lookupInTurn } from '../revision-meta.js';
import type { RevisionStore, StoredLookup } from '../types.js';

const notOurs = (what: string) =>
  new IonflowError('usage', `an ion-dev app's revisions are Datomic's: ionflow cannot ${what} them`, {
    hint: 'push with ionflow push or a push step: ion-dev does the upload',
  });

export class IonDevRevisionStore implements RevisionStore {
  readonly kind = 'ion-dev' as const;
  readonly where: string;

  constructor(cfg: IonDevConfig) {
    this.where = `ion-dev (${cfg.command.join(' ')})`;
  }

  /** A revision by name: what ionflow knows of one that ion-dev pushed (no digest, size or files). */
  async get(appName: string, name: string): Promise<RevisionMeta> {
    return this.named(appName, /^[0-9a-f]{40}$/.test(name) ? { rev: name } : { uname: name });
  }

  named(appName: string, which: RevisionName): RevisionMeta {
    const name = which.rev ?? which.uname;
    return {
      name,
      ...which,
      appName,
      sha256: '',
      size: 0,
      fileCount: 0,
      pushedAt: '',
      tree: '',
      entryPoints: null,
      location: this.where,
    };
  }

  async put(): Promise<RevisionMeta> {
    throw notOurs('upload');
  }

  async holds(): Promise<boolean> {
    return true;
  }

  lookup(appName: string, name: string): StoredLookup {
    return lookupInTurn(this, appName, name);
  }

  async ensureRegistered(): Promise<void> {}

  async fetchZip(): Promise<{ path: string; cleanup(): Promise<void> }> {
    throw notOurs('download');
  }

  async list(): Promise<RevisionMeta[]> {
    return [];
  }

  async remoteDeployGroups(): Promise<string[]> {
    return [];
  }
}
