// The make-style question `plan` asks without changing anything: would a
// push or deploy step be skipped as up to date? Answered by the functions the
// run itself decides with (SPEC §3), so the two agree: a push by pushDecision
// and dirtyError (push/push-state.ts), which pushApp calls; a deploy by
// isDeployedAlready (deploy/deploy.ts), which deployToGroup calls. Only the
// facts are gathered here, without changing anything. A push a run would
// refuse (a dirty tree without --rev/--uname, no commit yet) is reported
// blocked with the run's reason; an uploaded but unregistered one would run,
// to `register`.
// Back ends are reached through their factories, which load a back end's
// modules (the AWS SDK's among them) only when a step asks about it.

import { createStore } from '../backends/store-factory.js';
import type { BackendOptions } from '../backends/types.js';
import type { RevisionMeta } from '../model/revision.js';
import type { AppConfig, DeployConfig, StepConfig } from '../model/config.js';
import { IonflowError } from '../model/errors.js';
import type { Blocked, RunsOnly } from '../graph/plan.js';
import * as git from '../git/git.js';
import type { HeadLocation } from '../git/git.js';
import { ownFolders } from './push/own-folders.js';
import { dirtyError, pushDecision } from './push/push-state.js';

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
    const root = config.apps[appKey]!.root;
    if (opts.rev !== undefined) {
      const rev = await git.resolveRev(root, opts.rev, opts.signal);
      return { name: rev, rev };
    }
    const loc = await git.locateHead(root, opts.signal);
    return loc.head === undefined ? undefined : { name: loc.head, rev: loc.head, loc };
  });

  // The app's store, and what it holds under that name (asked by its push and by its deploys).
  const storeFor = memo(async (appKey) => createStore(config, appKey, opts.backend));
  const storedFor = memo(async (appKey): Promise<RevisionMeta | undefined> => {
    const which = await nameFor(appKey);
    if (!which) return undefined;
    return (await storeFor(appKey)).get(config.apps[appKey]!.name, which.name);
  });

  // A plain run pushes HEAD and refuses a dirty tree or a repository without commits (SPEC §5).
  const pushRefused = async (app: AppConfig, which: { rev?: string } | undefined): Promise<Blocked | undefined> => {
    if (opts.uname !== undefined || opts.rev !== undefined) return undefined;
    try {
      if (!which) git.commitOrRefuse(undefined);
      const refused = dirtyError(app, await git.statusLines(app.root, ownFolders(config, app), opts.signal));
      if (refused) throw refused;
      return undefined;
    } catch (err) {
      return blockedBy(err);
    }
  };

  // The push's own decision (pushDecision), from the same facts a push gathers.
  const pushUpToDate = async (appKey: string): Promise<boolean | undefined | Blocked | RunsOnly> => {
    const app = config.apps[appKey];
    const which = app && (await nameFor(appKey));
    const refused = app && (await pushRefused(app, which));
    if (refused) return refused;
    if (!app || !which) return undefined;
    const meta = await storedFor(appKey);
    const decision = await pushDecision(meta, await treeOf(app, which), async () => (await storeFor(appKey)).holds(meta!, opts.signal));
    if (decision === undefined) return undefined;
    if (decision === 'register') return { run: 'register' };
    return decision === 'skip';
  };

  // The content a push would archive: HEAD's folder tree (known from locating it) or the folder at --rev.
  // A uname's content is the work tree, which only a push reads.
  const treeOf = async (app: AppConfig, which: Which): Promise<string | undefined> => {
    if (which.rev === undefined) return undefined;
    if (which.loc) return which.loc.headTree;
    const loc = await git.locateRepo(app.root, opts.signal);
    return git.subtree(loc.top, which.rev, loc.prefix, opts.signal);
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
    // lazy: the deploy module costs 11 ms; a plan with no deploy step does not need it (npm run bench -- imports; node -e 0: 85 ms)
    const { isDeployedAlready } = await import('./deploy/deploy.js');
    return (await isDeployedAlready(config, groupKey, meta, opts.backend)) !== undefined;
  };

  // A promotion gate a run would stop at (SPEC §11); a source group this pipeline deploys to first counts as passed.
  const gateBlocks = async (groupKey: string, appKey: string, which: Which): Promise<Blocked | undefined> => {
    if (!config.groups[groupKey]?.promoteFrom) return undefined;
    const passed = (opts.steps ?? []).flatMap((s) => (s.kind === 'deploy' ? [s.group] : []));
    // Not in the store yet: never deployed anywhere, so only its name can be compared.
    const meta = (await storedFor(appKey)) ?? ({ name: which.name, ...(which.rev ? { rev: which.rev } : { uname: which.name }) } as RevisionMeta);
    // lazy: the gate module costs 10 ms; only groups with promote-from need it (npm run bench -- imports; node -e 0: 85 ms)
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
