// Which files say "HEAD names a new commit" (SPEC §7): HEAD of this work
// tree's git dir (its own in a linked worktree), and the shared refs/ and
// packed-refs of the common dir. Commits, merges, pulls, checkouts and resets
// all end by rewriting one of them; edits to the work tree touch none.

import { isAbsolute, resolve } from 'node:path';
import { git, headSha } from '../git/git.js';
import { IonflowError } from '../model/errors.js';

export interface GitDirs {
  /** The work tree's own git dir (holds HEAD). */
  gitDir: string;
  /** The repository's common dir (holds refs/ and packed-refs); same as gitDir outside worktrees. */
  commonDir: string;
}

export async function gitDirs(repoDir: string, signal?: AbortSignal): Promise<GitDirs> {
  let out: string;
  try {
    out = await git(repoDir, ['rev-parse', '--git-dir', '--git-common-dir'], { signal });
  } catch (err) {
    throw new IonflowError('precondition', `${repoDir} is not inside a git repository: there are no commits to watch`, {
      hint: 'run `git init` and commit the app first',
      cause: err,
    });
  }
  const [gitDir = '.git', commonDir = gitDir] = out.split('\n');
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(repoDir, p));
  return { gitDir: abs(gitDir), commonDir: abs(commonDir) };
}

export async function readHead(repoDir: string, signal?: AbortSignal): Promise<string | undefined> {
  // Mid-rebase, an unborn branch, a lock held: no commit to run yet, try again on the next touch.
  return headSha(repoDir, signal).catch(() => undefined);
}

export async function commitSubject(repoDir: string, sha: string): Promise<string> {
  try {
    return await git(repoDir, ['show', '-s', '--format=%s', sha]);
  } catch {
    return '';
  }
}
