// Deploy one pushed revision to one group: the logic behind `ionflow deploy`,
// `ionflow rollback` and the pipeline engine's deploy step. Make-style: a group
// whose latest successful deployment is this revision is skipped unless forced.

import { createGroup, groupConfig } from '../backends/group-factory.js';
import { createStore } from '../backends/store-factory.js';
import type { BackendOptions, DeploymentRecord, RevisionName } from '../backends/types.js';
import type { DeployConfig } from '../config/types.js';
import { preconditionError } from '../errors.js';

export interface DeployOptions {
  revision: RevisionName;
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  backend?: BackendOptions;
}

export interface DeployResult {
  record: DeploymentRecord;
  /** True when the group already ran this revision successfully (nothing was deployed). */
  skipped: boolean;
}

export const revisionNameOf = (revision: RevisionName): string => revision.rev ?? revision.uname;

/** The push command that would put this revision in the store, for hints. */
export function pushCommand(config: DeployConfig, appKey: string, revision: RevisionName): string {
  const app = Object.keys(config.apps).length > 1 ? ` --app ${appKey}` : '';
  return revision.rev ? `ionflow push${app} --rev ${revision.rev}` : `ionflow push${app} --uname ${revision.uname}`;
}

export async function deployToGroup(config: DeployConfig, groupKey: string, options: DeployOptions): Promise<DeployResult> {
  const { group, app } = groupConfig(config, groupKey);
  const name = revisionNameOf(options.revision);
  const store = await createStore(config, group.app, options.backend);
  const meta = await store.get(app.name, name);
  if (!meta) {
    throw preconditionError(`revision ${name} of app ${app.name} is not in the store (${store.where})`, {
      hint: `push it first: ${pushCommand(config, group.app, options.revision)}`,
    });
  }
  const compute = await createGroup(config, groupKey, options.backend);
  if (!options.force) {
    const latest = (await compute.history(20)).find((r) => r.status.deployStatus === 'SUCCEEDED');
    if (latest?.name === name) {
      options.onProgress?.(`group ${groupKey} already runs ${name}; skipped (force to redeploy)`);
      return { record: latest, skipped: true };
    }
  }
  const record = await compute.deploy({
    revision: meta,
    store,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { record, skipped: false };
}
