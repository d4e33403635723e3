// Push an ion-dev app (SPEC §16): ionflow's own clean-tree check first (exit 3
// before ion-dev starts), then `{:op :push [:uname …]}` in the app root. The
// revision ion-dev names (:rev or :uname) flows on to deploy steps; its
// :dependency-conflicts are a warning, or a failure under
// `dependency-conflicts: fail` for the libs not in `allow-conflicts`.

import * as git from '../../git/git.js';
import type { DeployConfig, IonDevConfig } from '../../model/config.js';
import { preconditionError, stepError } from '../../model/errors.js';
import type { BackendOptions } from '../types.js';
import type { RevisionMeta } from '../../model/revision.js';
import { type Conflicts, conflictsOf, describeConflicts, failingConflicts } from './conflicts.js';
import { IonDev, shellLine } from './ion-dev.js';
import { type IonDevMap, text } from './result.js';
import { IonDevRevisionStore } from './store.js';

export interface IonDevPushOptions {
  rev?: string | undefined;
  uname?: string | undefined;
  signal?: AbortSignal | undefined;
  onProgress?: ((message: string) => void) | undefined;
  onLog?: ((line: string) => void) | undefined;
  backend?: BackendOptions | undefined;
  /** The message of a dirty tree, shared with the other back ends. */
  dirtyMessage: string;
}

export interface IonDevPushed {
  meta: RevisionMeta;
  /** ion-dev's answer, as it printed it. */
  result: IonDevMap;
  deployGroups: string[];
  conflicts: Conflicts;
  /** The group of deploy.yaml that `:deploy-command` should name. */
  firstGroup: string | undefined;
  store: IonDevRevisionStore;
}

/** The app's ion-dev groups in deploy.yaml order: the first that ion-dev lists, else the first. */
function chooseGroup(config: DeployConfig, appKey: string, deployGroups: string[]): string | undefined {
  const groups = Object.values(config.groups).filter((g) => g.app === appKey);
  const listed = groups.find((g) => g.kind === 'ion-dev' && deployGroups.includes(g.computeGroup));
  return (listed ?? groups[0])?.key;
}

/** ion-dev pushes what is checked out: refuse a dirty tree (without uname) and a --rev other than HEAD. */
async function checkTree(root: string, options: IonDevPushOptions): Promise<void> {
  if (options.uname !== undefined) return;
  const loc = await git.locateHead(root, options.signal);
  const head = git.commitOrRefuse(loc.head);
  if (options.rev !== undefined && (await git.resolveRev(root, options.rev, options.signal)) !== head) {
    throw preconditionError(`ion-dev pushes the commit checked out (${head.slice(0, 7)}), not ${options.rev}`, {
      hint: `check out ${options.rev} first, or push without --rev`,
    });
  }
  const dirty = await git.statusLines(root, [], options.signal);
  if (dirty.length > 0) {
    throw preconditionError(options.dirtyMessage, {
      hint: `${dirty.length} uncommitted change(s) in ${root} (first: ${dirty[0]!.trim()}); commit them, or push a named working tree with --uname`,
    });
  }
}

export async function pushWithIonDev(config: DeployConfig, appKey: string, options: IonDevPushOptions): Promise<IonDevPushed> {
  const app = config.apps[appKey]!;
  const cfg = app.store as IonDevConfig;
  const store = new IonDevRevisionStore(cfg);
  await checkTree(app.root, options);
  const say = options.onProgress ?? (() => {});
  const ionDev = new IonDev(cfg, app.root, options.backend);
  say(`ion-dev push of ${app.name}${options.uname !== undefined ? ` as ${options.uname}` : ''}: ${shellLine(ionDev.argv('push', { uname: options.uname }))}`);
  const result = await ionDev.call('push', { uname: options.uname }, { signal: options.signal, onLine: options.onLog ?? say });
  const rev = text(result, 'rev');
  const uname = text(result, 'uname');
  if (!rev && !uname) throw stepError('ion-dev push answered without :rev or :uname', { hint: 'see the lines it printed above' });
  const conflicts = conflictsOf(result);
  const failing = failingConflicts(conflicts, cfg);
  if (failing.length > 0) {
    throw stepError(`ion-dev pushed ${rev ?? uname}, but Datomic Cloud overrides ${describeConflicts(conflicts, failing)} (dependency-conflicts: fail)`, {
      hint: `use these versions in deps.edn, or list the libs under allow-conflicts of app ${appKey}`,
    });
  }
  const deployGroups = Array.isArray(result['deploy-groups']) ? result['deploy-groups'].map(String) : [];
  const meta = store.named(app.name, rev ? { rev } : { uname: uname! });
  return { meta, result, deployGroups, conflicts, firstGroup: chooseGroup(config, appKey, deployGroups), store };
}
