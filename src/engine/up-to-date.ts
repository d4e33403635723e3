// The make-style question `plan` asks without changing anything: would a
// push or deploy step be skipped as up to date? The same rules as the run
// (SPEC §3): a push is up to date when the store holds the revision with the
// same content (git tree), a deploy when the group's latest successful
// deployment is that revision. Back ends are reached through their factories,
// loaded only when a push or deploy step is asked about.

import type { BackendOptions } from '../backends/types.js';
import type { DeployConfig, StepConfig } from '../config/types.js';

export interface UpToDateOptions {
  rev?: string;
  uname?: string;
  backend?: BackendOptions;
  signal?: AbortSignal;
}

/** true: would be skipped; false: would run; undefined: cannot tell (e.g. no commit yet). */
export type StepUpToDate = (step: StepConfig) => Promise<boolean | undefined>;

export function upToDateCheck(config: DeployConfig, opts: UpToDateOptions = {}): StepUpToDate {
  const names = new Map<string, Promise<{ name: string; rev?: string } | undefined>>();

  // The revision a run would use for an app: --uname, --rev, else HEAD of its repository.
  const nameFor = (appKey: string) => {
    let found = names.get(appKey);
    if (!found) {
      found = (async () => {
        if (opts.uname !== undefined) return { name: opts.uname };
        const git = await import('../git/git.js');
        const root = config.apps[appKey]!.root;
        const rev = opts.rev !== undefined ? await git.resolveRev(root, opts.rev, opts.signal) : await git.headSha(root, opts.signal);
        return rev === undefined ? undefined : { name: rev, rev };
      })();
      names.set(appKey, found);
    }
    return found;
  };

  const pushUpToDate = async (appKey: string): Promise<boolean | undefined> => {
    const app = config.apps[appKey];
    const which = app && (await nameFor(appKey));
    if (!app || !which) return undefined;
    const { createStore } = await import('../backends/store-factory.js');
    const meta = await (await createStore(config, appKey, opts.backend)).get(app.name, which.name);
    if (!meta) return false;
    // A uname's content is the work tree, which only a push reads: the store holding the name is all plan can tell.
    if (which.rev === undefined) return undefined;
    const git = await import('../git/git.js');
    const loc = await git.locateRepo(app.root, opts.signal);
    return (await git.subtree(loc.top, which.rev, loc.prefix, opts.signal)) === meta.tree;
  };

  const deployUpToDate = async (groupKey: string): Promise<boolean | undefined> => {
    const group = config.groups[groupKey];
    const which = group && (await nameFor(group.app));
    if (!group || !which) return undefined;
    const { createGroup } = await import('../backends/group-factory.js');
    const history = await (await createGroup(config, groupKey, opts.backend)).history(20);
    return history.find((r) => r.status.deployStatus === 'SUCCEEDED')?.name === which.name;
  };

  return async (step) => {
    if (step.kind === 'push') return pushUpToDate(step.app);
    if (step.kind === 'deploy') return deployUpToDate(step.group);
    return false;
  };
}
