// The one place a RevisionStore is made from config (STYLE §2). The aws
// modules (and so the AWS SDK) are imported only for an s3 store; an ion-dev
// app's store stands for Datomic's bucket, which only ion-dev writes.

import { appOrFail } from '../config/lookup.js';
import type { DeployConfig } from '../model/config.js';
import { usageError } from '../model/errors.js';
import { IonDevRevisionStore } from './ion-dev/store.js';
import { LocalRevisionStore } from './local/store.js';
import type { BackendOptions, RevisionStore } from './types.js';

export async function createStore(config: DeployConfig, appKey: string, opts: BackendOptions = {}): Promise<RevisionStore> {
  const app = appOrFail(config, appKey);
  const store = app.store;
  if (store.kind === 'local') return new LocalRevisionStore(store.dir);
  if (store.kind === 'ion-dev') {
    return new IonDevRevisionStore(store);
  }
  const profile = store.profile ? config.profiles[store.profile] : undefined;
  if (store.profile && !profile) throw usageError(`app ${appKey}: unknown profile ${store.profile}`);
  // lazy: the S3 store and aws/clients cost 6.2 + 7.7 ms; local and ion-dev stores do not need them (npm run bench -- imports; node -e 0: 85 ms)
  const [{ createAwsClients }, { S3RevisionStore }] = await Promise.all([import('./aws/clients.js'), import('./aws/s3-store.js')]);
  return new S3RevisionStore({ bucket: store.bucket, prefix: store.prefix, clients: createAwsClients(profile, opts) });
}
