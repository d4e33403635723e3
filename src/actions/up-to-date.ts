// The make-style question `plan` asks without changing anything: would a
// push or deploy step be skipped as up to date? The same rules as the run
// (SPEC §3): a push is up to date when the store holds the revision with the
// same content (git tree) and its zip as recorded; a deploy when the group's
// latest successful deployment is that revision with the same content, asked
// of the deploy module's own isDeployedAlready, the check `run` makes, so the
// two agree. An uploaded but unregistered push would run, to `register`
// (isRegistered of revision-meta, the predicate push uses). A push a run would refuse (a dirty tree without --rev/--uname, no
// commit yet) is reported blocked with the run's reason.
// Back ends are reached through their factories, loaded only when a push or
// deploy step is asked about.

import type { BackendOptions } from '../backends/types.js';
import type { RevisionMeta } from '../model/revision.js';
import type { AppConfig, DeployConfig, StepConfig } from '../model/config.js';
import { IonflowError } from '../model/errors.js';
import type { Blocked, RunsOnly } from '../graph/plan.js';
import type { HeadLocation } from '../git/git.js';
import { ownFolders } from './push/own-folders.js';

export interface UpToDateOptions {
  /** The pipeline's steps: a deploy after a push in the same run deploys what that push stores. */
  steps?: StepConfig[];
  rev?: string;
  uname?: string;
  backend?: BackendOptions;
  signal?: AbortSignal;
}

/** true: would be skipped; false: would run; undefined: cannot tell; blocked: a run would stop there. */
export type StepUpToDate = (step: StepConfig) => Promise<boolean | undefined | Blocked | RunsOnly>;

/** The error a run would stop with, as plan's reason. */
const blockedBy = (err: unknown): Blocked => ({ blocked: `${(err as Error).message}${err instanceof IonflowError && err.hint ? ` (${err.hint})` : ''}` });

/** What a run would push or deploy for an app; `loc` when it is HEAD (which locating also gave the folder's tree of). */
interface Which {
  name: string;
  rev?: string;
  loc?: HeadLocation;
}

/** `make(key)` once a key: the checks below ask the same question for several steps. */
function memo<T>(make: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const made = new Map<string, Promise<T>>();
  return (key) => {
    let found = made.get(key);
    if (!found) {
      found = make(key);
      made.set(key, found);
    }
    return found;
  };
}

export function upToDateCheck(config: DeployConfig, opts: UpToDateOptions = {}): StepUpToDate {
  // The revision a run would use for an app: --uname, --rev, else HEAD of its repository.
  const nameFor = memo(async (appKey): Promise<Which | undefined> => {
    if (opts.uname !== undefined) return { name: opts.uname };
    const git = await import('../git/git.js');
    const root = config.apps[appKey]!.root;
    if (opts.rev !== undefined) {
      const rev = await git.resolveRev(root, opts.rev, opts.signal);
      return { name: rev, rev };
    }
    const loc = await git.locateHead(root, opts.signal);
    return loc.head === undefined ? undefined : { name: loc.head, rev: loc.head, loc };
  });

  // The app's store, and what it holds under that name (asked by its push and by its deploys).
  const storeFor = memo(async (appKey) => {
    const { createStore } = await import('../backends/store-factory.js');
    return createStore(config, appKey, opts.backend);
  });
  const storedFor = memo(async (appKey): Promise<RevisionMeta | undefined> => {
    const which = await nameFor(appKey);
    if (!which) return undefined;
    return (await storeFor(appKey)).get(config.apps[appKey]!.name, which.name);
  });

  // A plain run pushes HEAD and refuses a dirty tree or a repository without commits (SPEC §5).
  const pushRefused = async (app: AppConfig, which: { rev?: string } | undefined): Promise<Blocked | undefined> => {
    if (opts.uname !== undefined || opts.rev !== undefined) return undefined;
    const git = await import('../git/git.js');
    if (!which) {
      try {
        git.commitOrRefuse(undefined);
      } catch (err) {
        return blockedBy(err);
      }
    }
    const dirty = which ? await git.statusLines(app.root, ownFolders(config, app), opts.signal) : [];
    if (dirty.length === 0) return undefined;
    const { DIRTY_MESSAGE } = await import('./push/push.js');
    return { blocked: `${DIRTY_MESSAGE} (${dirty.length} uncommitted change(s) in ${app.root}, first: ${dirty[0]!.trim()})` };
  };

  const pushUpToDate = async (appKey: string): Promise<boolean | undefined | Blocked | RunsOnly> => {
    const answer = await sameContent(appKey);
    if (answer !== true) return answer;
    // Uploaded but never registered (its registration failed): a run registers it, uploading nothing.
    const { isRegistered } = await import('../backends/revision-meta.js');
    return isRegistered((await storedFor(appKey))!) ? true : { run: 'register' };
  };

  const sameContent = async (appKey: string): Promise<boolean | undefined | Blocked> => {
    const app = config.apps[appKey];
    const which = app && (await nameFor(appKey));
    const refused = app && (await pushRefused(app, which));
    if (refused) return refused;
    if (!app || !which) return undefined;
    const meta = await storedFor(appKey);
    // Metadata whose zip is gone or changed is pushed again, as a run would.
    if (!meta || !(await (await storeFor(appKey)).holds(meta, opts.signal))) return false;
    // A uname's content is the work tree, which only a push reads: the store holding the name is all plan can tell.
    if (which.rev === undefined) return undefined;
    if (which.loc) return which.loc.headTree === meta.tree;
    const git = await import('../git/git.js');
    const loc = await git.locateRepo(app.root, opts.signal);
    return (await git.subtree(loc.top, which.rev, loc.prefix, opts.signal)) === meta.tree;
  };

  const pushCheck = memo(pushUpToDate);

  const deployUpToDate = async (groupKey: string): Promise<boolean | undefined | Blocked> => {
    const group = config.groups[groupKey];
    const app = group && config.apps[group.app];
    const which = group && (await nameFor(group.app));
    if (!group || !app || !which) return undefined;
    const answer = await deployedAnswer(groupKey, group.app);
    return answer === true ? true : ((await gateBlocks(groupKey, group.app, which)) ?? answer);
  };

  const deployedAnswer = async (groupKey: string, appKey: string): Promise<boolean | undefined> => {
    // A push earlier in this run decides what is deployed: new content is deployed, not skipped.
    // (ion-dev pushes every time, and names the commit as before: its ledger alone decides.)
    if (config.apps[appKey]?.store.kind !== 'ion-dev' && opts.steps?.some((s) => s.kind === 'push' && s.app === appKey)) {
      const pushed = await pushCheck(appKey);
      // A push that only registers leaves the content as stored: the deploy is asked as if it were skipped.
      if (pushed !== true && !(typeof pushed === 'object' && 'run' in pushed)) return pushed === false ? false : undefined;
    }
    const meta = await storedFor(appKey);
    if (!meta) return false;
    const { isDeployedAlready } = await import('./deploy/deploy.js');
    return (await isDeployedAlready(config, groupKey, meta, opts.backend)) !== undefined;
  };

  // A promotion gate a run would stop at (SPEC §11); a source group this pipeline deploys to first counts as passed.
  const gateBlocks = async (groupKey: string, appKey: string, which: Which): Promise<Blocked | undefined> => {
    if (!config.groups[groupKey]?.promoteFrom) return undefined;
    const passed = (opts.steps ?? []).flatMap((s) => (s.kind === 'deploy' ? [s.group] : []));
    // Not in the store yet: never deployed anywhere, so only its name can be compared.
    const meta = (await storedFor(appKey)) ?? ({ name: which.name, ...(which.rev ? { rev: which.rev } : { uname: which.name }) } as RevisionMeta);
    const { gateRefusal } = await import('./deploy/gate.js');
    const refusal = await gateRefusal(config, groupKey, meta, { ...(opts.backend ? { backend: opts.backend } : {}), passed });
    return refusal ? { blocked: `gate: ${refusal.message}` } : undefined;
  };

  return async (step) => {
    if (step.kind === 'push') return pushCheck(step.app);
    if (step.kind === 'deploy') return deployUpToDate(step.group);
    return false;
  };
}

