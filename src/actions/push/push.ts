// One push (SPEC §5): pick what to archive (a commit, or the working tree for
// a uname), skip it when the store already holds the same content, else stream
// `git archive` into the app's store and register it. Used by `ionflow push`
// and by a pipeline's push steps (../step-runner.ts); it never prints, it reports
// progress through `onProgress`.

import { createStore } from '../../backends/store-factory.js';
import type { BackendOptions, RevisionStore } from '../../backends/types.js';
import type { EntryPoints, RevisionMeta, RevisionName } from '../../model/revision.js';
import { appOrFail } from '../../config/lookup.js';
import { checkRevisionFlags } from '../../model/names.js';
import type { AppConfig, DeployConfig } from '../../model/config.js';
import { type ArchiveSource, commitSource, streamArchive, workTreeSource } from '../../git/archive.js';
import type { GitFacts } from '../../git/facts.js';
import { commitOrRefuse, type HeadLocation, locateHead, resolveRev, statusLines } from '../../git/git.js';
import { describeEntryPoints, readEntryPoints } from './entry-points.js';
import { ownFolders } from './own-folders.js';
import { DIRTY_MESSAGE, dirtyError, pushDecision } from './push-state.js';
import { pruneAfterPush } from './prune-report.js';
import { formatBytes, progressReporter } from './progress.js';

export interface PushOptions {
  rev?: string;
  uname?: string;
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Each line a push tool prints (ion-dev's); default onProgress. */
  onLog?: (line: string) => void;
  backend?: BackendOptions;
  /** A push of HEAD: where the app is, HEAD and the clean check as the run found them at its start (src/git/facts.ts). */
  facts?: GitFacts;
}

export interface PushResult {
  meta: RevisionMeta;
  skipped: boolean;
  /** Already uploaded, but only now registered (its earlier registration had failed). */
  registeredOnly?: boolean;
  deployGroups: string[];
  /** The group `:deploy-command` names: the app's first in deploy.yaml (CodeDeploy-only groups cannot be deployed to by name). */
  firstGroup: string | undefined;
  store: RevisionStore;
  /** An ion-dev app: ion-dev's own answer and the dependency conflicts it reported (SPEC §16). */
  ionDev?: { result: Record<string, unknown>; conflicts: Record<string, string> };
}

/** The app's groups in deploy.yaml, in its order. */
const groupsOf = (config: DeployConfig, appKey: string) => Object.values(config.groups).filter((g) => g.app === appKey);

/**
 * `:deploy-groups`: the app's groups in deploy.yaml, in its order, then the
 * app's other CodeDeploy deployment groups, sorted. A CodeDeploy group that an
 * aws group of deploy.yaml deploys to is listed once, by that group's key: the
 * name `ionflow deploy --group` takes.
 */
async function configGroups(config: DeployConfig, appKey: string, store: RevisionStore, app: AppConfig) {
  const declared = groupsOf(config, appKey);
  const covered = new Set(declared.flatMap((g) => (g.kind === 'aws' ? [g.deploymentGroup] : [])));
  const others = (await store.remoteDeployGroups(app.name)).filter((name) => !covered.has(name)).sort();
  return [...new Set([...declared.map((g) => g.key), ...others])];
}

/** Start work now, await it later: a failure only surfaces where it is awaited. */
function early<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * The app folder at `sha`; for a plain push (no --rev) the folder must also be clean (`dirtyP`).
 * What git archives is made at once unless the store already holds this tree (`storedP`).
 */
async function committedSource(
  app: AppConfig,
  loc: HeadLocation,
  sha: string,
  dirtyP: Promise<string[]> | undefined,
  storedP: Promise<RevisionMeta | undefined>,
  signal?: AbortSignal,
): Promise<ArchiveSource> {
  const sourceP = early(commitSource(loc, sha, signal));
  Promise.all([sourceP, storedP]).then(
    ([source, stored]) => {
      if (stored?.tree !== source.tree) source.treeish();
    },
    () => undefined,
  );
  const refused = dirtyError(app, (await dirtyP) ?? []);
  if (refused) throw refused;
  return sourceP;
}

export async function pushApp(config: DeployConfig, appKey: string, options: PushOptions = {}): Promise<PushResult> {
  const app = appOrFail(config, appKey);
  // A uname becomes a file name and an S3 key: one safe path segment.
  checkRevisionFlags(options);
  if (app.store.kind === 'ion-dev') {
    // lazy: the ion-dev push costs 13 ms; only ion-dev apps need it (npm run bench -- imports; node -e 0: 85 ms)
    const { pushWithIonDev } = await import('../../backends/ion-dev/push.js');
    const pushed = await pushWithIonDev(config, appKey, { ...options, dirtyMessage: DIRTY_MESSAGE });
    const { meta, deployGroups, firstGroup, store, result, conflicts } = pushed;
    return { meta, skipped: false, deployGroups, firstGroup, store, ionDev: { result, conflicts } };
  }
  const { signal } = options;
  const say = options.onProgress ?? (() => {});
  const firstGroup = groupsOf(config, appKey)[0]?.key;
  // Loading the store (for S3, the AWS SDK) overlaps with the git work below.
  const storeP = early(createStore(config, appKey, options.backend));
  const excludes = ownFolders(config, app);
  // A plain push (no --rev, no --uname) must start from a clean folder: git status runs alongside locating HEAD.
  const { facts } = options;
  const dirtyP = options.rev || options.uname ? undefined : early(facts?.statusLines(app.root, excludes) ?? statusLines(app.root, excludes, signal));
  const loc = await (facts?.locate(app.root) ?? locateHead(app.root, signal));

  // A rev that is HEAD's SHA (as watch names each commit) is a commit already: no git call to resolve it.
  const resolved = async (rev: string) => (rev === loc.head ? rev : resolveRev(loc.top, rev, signal));
  const sha = options.uname ? undefined : options.rev ? await resolved(options.rev) : commitOrRefuse(loc.head);
  const name: RevisionName = sha ? { rev: sha } : { uname: options.uname! };
  const label = sha ?? options.uname!;
  // --force pushes whatever the store holds: no need to look. Metadata found
  // counts only while the zip it describes is still there, unchanged.
  const lookupP = options.force ? undefined : early(storeP.then((s) => s.lookup(app.name, label, signal)));
  const existingP = early(lookupP ? lookupP.then((l) => l.meta) : Promise.resolve(undefined));
  const intactP = early(lookupP ? lookupP.then((l) => l.intact) : Promise.resolve(false));
  // The deploy groups are only shown at the end, and asking loads CodeDeploy's
  // client (for S3, ~8 ms of the main thread). A commit's push asks while the
  // store is being looked up: the main thread only waits then, and the archive
  // cannot start before the answer anyway (re-push 0.95x, 21 alternating runs).
  // A uname (whose content usually changed) or --force asks once the zip is
  // written, so that the client loads while the store finishes the upload
  // instead of holding back the archive.
  // (Started from callbacks that return nothing: a callback returning groupsP
  // would make a second promise of its failure, one nobody awaits.)
  let groupsP: Promise<string[]> | undefined;
  const askGroups = () => (groupsP ??= early(storeP.then((s) => configGroups(config, appKey, s, app))));
  // setImmediate: after the lookup's requests have gone out, not before them.
  if (lookupP && sha) setImmediate(askGroups);

  const source = sha ? await committedSource(app, loc, sha, dirtyP, existingP, signal) : await workTreeSource(loc, excludes, signal);
  const what = sha ? `commit ${sha}${loc.prefix ? ` (folder ${loc.prefix})` : ''}` : `the working tree of ${app.root}`;

  const store = await storeP;
  const existing = await existingP;
  const decision = await pushDecision(existing, source.tree, () => intactP);
  if (decision === 'upload-again') {
    say(`${app.name} ${label} is recorded in ${store.where}, but its zip is missing or not the one recorded: pushing it again`);
  } else if (existing && decision === 'register') {
    // Uploaded by a push whose CodeDeploy registration failed: register it, no upload.
    say(`${app.name} ${label} is in ${store.where} but was never registered: registering it`);
    say(describeEntryPoints(existing.entryPoints));
    const [deployGroups] = await Promise.all([askGroups(), store.ensureRegistered(existing, signal)]);
    return { meta: { ...existing, registered: true }, skipped: false, registeredOnly: true, deployGroups, firstGroup, store };
  } else if (existing && decision === 'skip') {
    say(`${app.name} ${label} is already in ${store.where} with the same content: skipped (up to date)`);
    say(describeEntryPoints(existing.entryPoints));
    const [deployGroups] = await Promise.all([askGroups(), store.ensureRegistered(existing, signal)]);
    await pruneAfterPush(config, appKey, store, say);
    return { meta: existing, skipped: true, deployGroups, firstGroup, store };
  }

  // Archiving goes on while the entry points are read (it waits on the pipe, never buffers it all).
  const archive = streamArchive(loc.top, await source.treeish(), { signal });
  let entryPoints: EntryPoints | null;
  try {
    entryPoints = await readEntryPoints(app, sha ? { top: loc.top, tree: source.tree } : 'working-tree', signal);
  } catch (err) {
    archive.body.destroy();
    throw err;
  }
  say(`archiving ${what} → ${store.where}${store.kind === 'local' ? '/' : ''}${app.name}/${label}.zip`);
  const progress = progressReporter(say, store.kind === 's3' ? 'uploaded' : 'written');
  const putP = store.put({
    appName: app.name,
    name,
    tree: source.tree,
    entryPoints,
    fileCount: early(archive.done.then((zip) => zip.files)),
    body: archive.body,
    signal,
    onProgress: progress,
  });
  // A store that fails before it has read the zip must not leave git and the zip writer waiting on it.
  putP.catch(() => archive.body.destroy());
  archive.done.then(
    () => {
      askGroups();
    },
    () => undefined,
  );
  const meta = await putP;
  await archive.done;
  say(`pushed ${app.name} ${label}: ${formatBytes(meta.size)}, ${meta.fileCount} files, sha256 ${meta.sha256}`);
  say(describeEntryPoints(meta.entryPoints));
  await pruneAfterPush(config, appKey, store, say);
  return { meta, skipped: false, deployGroups: await askGroups(), firstGroup, store };
}
