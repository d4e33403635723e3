// Watches the files that move when HEAD names another commit (see git-dirs.ts)
// with chokidar, and calls `onChange` for each touch. It does not decide
// whether a commit is new: the watch loop re-reads HEAD for that, so a touch
// that changes nothing (a fetch of another branch, `git pack-refs`) runs nothing.

import { basename, join, relative, sep } from 'node:path';
import { watch } from 'chokidar';
import type { GitDirs } from './git-dirs.js';

export interface CommitWatcher {
  close(): Promise<void>;
}

export async function watchCommitFiles(dirs: GitDirs, onChange: (path: string) => void): Promise<CommitWatcher> {
  const refs = join(dirs.commonDir, 'refs');
  const topFiles = new Set([join(dirs.gitDir, 'HEAD'), join(dirs.commonDir, 'packed-refs')]);
  const tops = [...new Set([dirs.gitDir, dirs.commonDir])];
  const inRefs = (p: string) => p === refs || p.startsWith(refs + sep);
  const ignored = (p: string) => {
    if (p.endsWith('.lock')) return true; // git's in-progress writes; the rename that follows counts
    if (tops.includes(p) || topFiles.has(p)) return false;
    if (inRefs(p)) return false;
    return true;
  };
  // The git dirs themselves at depth 0 (HEAD and packed-refs are replaced by
  // rename, which a watch on the file alone can miss), refs/ recursively.
  const shallow = watch(tops, { ignoreInitial: true, atomic: false, depth: 0, ignored });
  const deep = watch(refs, { ignoreInitial: true, atomic: false, ignored: (p: string) => p.endsWith('.lock') });
  const forward = (_event: string, path: string) => {
    if (topFiles.has(path) || inRefs(path)) onChange(relative(dirs.commonDir, path) || basename(path));
  };
  shallow.on('all', forward);
  deep.on('all', forward);
  await Promise.all([shallow, deep].map((w) => new Promise<void>((resolve) => w.once('ready', () => resolve()))));
  return {
    close: async () => {
      await Promise.all([shallow.close(), deep.close()]);
    },
  };
}
