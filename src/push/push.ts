// One push (SPEC §5): pick what to archive (a commit, or the working tree for
// a uname), skip it when the store already holds the same content, else stream
// `git archive` into the app's store and register it. Used by `ionflow push`
// and by the pipeline engine's push steps; it never prints, it reports
// progress through `onProgress`.

import { relative } from 'node:path';
import { createStore } from '../backends/store-factory.js';
import type { BackendOptions, RevisionMeta, RevisionName, RevisionStore } from '../backends/types.js';
import type { AppConfig, DeployConfig } from '../config/types.js';
import { IonflowError, usageError } from '../errors.js';
import { type ArchiveSource, commitSource, streamArchive, workTreeSource } from '../git/archive.js';
import { countFiles, locateRepo, requireHead, resolveRev, statusLines } from '../git/git.js';
import { readEntryPoints } from './entry-points.js';
import { formatBytes, progressReporter } from './progress.js';

export interface PushOptions {
  rev?: string;
  uname?: string;
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  backend?: BackendOptions;
}

export interface PushResult {
  meta: RevisionMeta;
  skipped: boolean;
  deployGroups: string[];
  store: RevisionStore;
}

export const DIRTY_MESSAGE = 'You must either specify a uname or push from a clean git commit';

// A uname becomes a file name and an S3 key: keep it to one safe path segment.
const UNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** ionflow's own folders inside the app (local store, local groups): never content. */
function ownFolders(config: DeployConfig, app: AppConfig): string[] {
  const dirs = [app.store.kind === 'local' ? app.store.dir : undefined];
  for (const g of Object.values(config.groups)) if (g.kind === 'local') dirs.push(g.dir);
  return dirs
    .filter((d): d is string => d !== undefined)
    .map((d) => relative(app.root, d))
    .filter((r) => r !== '' && !r.startsWith('..') && !r.startsWith('/'));
}

async function configGroups(config: DeployConfig, appKey: string, store: RevisionStore, app: AppConfig) {
  const local = Object.values(config.groups)
    .filter((g) => g.app === appKey)
    .map((g) => g.key);
  const remote = await store.remoteDeployGroups(app.name);
  return [...new Set([...local, ...remote])].sort();
}

export async function pushApp(config: DeployConfig, appKey: string, options: PushOptions = {}): Promise<PushResult> {
  const app = config.apps[appKey];
  if (!app) throw usageError(`unknown app ${appKey}; deploy.yaml has ${Object.keys(config.apps).join(', ') || 'none'}`);
  if (options.rev && options.uname) throw usageError('give --rev or --uname, not both');
  if (options.uname !== undefined && !UNAME.test(options.uname)) {
    throw usageError(`--uname ${JSON.stringify(options.uname)} must be letters, digits, '.', '_' or '-' (at most 128)`);
  }
  const { signal } = options;
  const say = options.onProgress ?? (() => {});
  const loc = await locateRepo(app.root, signal);
  const excludes = ownFolders(config, app);

  let name: RevisionName;
  let source: ArchiveSource;
  let what: string;
  if (options.uname) {
    name = { uname: options.uname };
    source = await workTreeSource(loc, excludes, signal);
    what = `the working tree of ${app.root}`;
  } else {
    const sha = options.rev ? await resolveRev(loc.top, options.rev, signal) : await requireHead(loc.top, signal);
    if (!options.rev) {
      const dirty = await statusLines(app.root, excludes, signal);
      if (dirty.length > 0) {
        throw new IonflowError('precondition', DIRTY_MESSAGE, {
          hint: `${dirty.length} uncommitted change(s) in ${app.root} (first: ${dirty[0]!.trim()}); commit them, or push a named working tree with --uname`,
        });
      }
    }
    name = { rev: sha };
    source = await commitSource(loc, sha, signal);
    what = `commit ${sha}${loc.prefix ? ` (folder ${loc.prefix})` : ''}`;
  }
  const label = name.rev ?? name.uname;

  const store = await createStore(config, appKey, options.backend);
  const existing = await store.get(app.name, label);
  if (existing && existing.tree === source.tree && !options.force) {
    say(`${app.name} ${label} is already in ${store.where} with the same content: skipped (up to date)`);
    await store.ensureRegistered(existing, signal);
    return { meta: existing, skipped: true, deployGroups: await configGroups(config, appKey, store, app), store };
  }

  const [fileCount, entryPoints] = await Promise.all([
    countFiles(loc.top, source.tree, signal),
    readEntryPoints(app, options.uname ? 'working-tree' : { top: loc.top, tree: source.tree }, signal),
  ]);
  say(`archiving ${what}: ${fileCount} files → ${store.where}${store.kind === 'local' ? '/' : ''}${app.name}/${label}.zip`);
  const archive = streamArchive(loc.top, source.treeish, signal);
  const progress = progressReporter(say, store.kind === 's3' ? 'uploaded' : 'written');
  const meta = await store.put({
    appName: app.name,
    name,
    tree: source.tree,
    entryPoints,
    fileCount,
    body: archive.body,
    signal,
    onProgress: progress,
  });
  await archive.done;
  say(`pushed ${app.name} ${label}: ${formatBytes(meta.size)}, ${meta.fileCount} files, sha256 ${meta.sha256}`);
  return { meta, skipped: false, deployGroups: await configGroups(config, appKey, store, app), store };
}
