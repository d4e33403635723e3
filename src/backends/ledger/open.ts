// The one place an app's ledger is found from config (SPEC §11): beside its
// revisions in the app's store, so everyone deploying through that store
// shares it; apps without a store of ours (ion-dev) keep it in
// `.ionflow/ledger/<app-name>/` beside deploy.yaml.

import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { BackendOptions } from '../types.js';
import type { DeployConfig } from '../../model/config.js';
import { appOrFail } from '../../config/lookup.js';
import { FolderLedger, type LedgerStore } from './store.js';

export async function openLedger(config: DeployConfig, appKey: string, backend: BackendOptions = {}): Promise<LedgerStore> {
  const app = appOrFail(config, appKey);
  const store = app.store as DeployConfig['apps'][string]['store'] | { kind: string };
  if (store.kind === 'local' && 'dir' in store) return new FolderLedger(join(store.dir, app.name, 'ledger'));
  if (store.kind === 's3' && 'bucket' in store) {
    const profile = store.profile ? config.profiles[store.profile] : undefined;
    // lazy: aws/clients and the S3 ledger cost 7.9 + 5.0 ms; only ledgers in an S3 store need them (npm run bench -- imports; node -e 0: 85 ms)
    const { createAwsClients } = await import('../aws/clients.js');
    const { S3Ledger } = await import('./s3-ledger.js');
    const clients = createAwsClients(profile, backend);
    return new S3Ledger(() => clients.s3(), store.bucket, `${store.prefix}${app.name}/ledger/`);
  }
  return new FolderLedger(join(config.dir, '.ionflow', 'ledger', app.name));
}

let who: Promise<string> | undefined;

/** `by` of a ledger record: git's user.email, else the login name, and the host. */
export function deployer(cwd: string): Promise<string> {
  who ??= (async () => {
    let name: string | undefined;
    try {
      // lazy: git costs 5.6 ms; history and status read ledgers without asking who deploys (npm run bench -- imports; node -e 0: 85 ms)
      const { git } = await import('../../git/git.js');
      name = (await git(cwd, ['config', 'user.email'])).trim() || undefined;
    } catch {
      // No git, or no user.email set: the login name says who as well.
    }
    if (!name) {
      try {
        name = userInfo().username;
      } catch {
        name = process.env.USER ?? process.env.LOGNAME ?? 'unknown';
      }
    }
    return `${name} on ${hostname()}`;
  })();
  return who;
}
