// Typed git operations over the one process wrapper (src/process.ts). Each
// function names one question asked of git; failures become IonflowErrors a
// user can act on (not a repository, no commits yet, unknown revision).

import { IonflowError, usageError } from '../model/errors.js';
import { ProcessError, run } from '../process.js';

export interface GitOptions {
  /** Extra environment (e.g. GIT_INDEX_FILE for a temporary index). */
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  input?: string;
}

/** Run git in `cwd` and return its stdout without the final newline. */
export async function git(cwd: string, args: string[], options: GitOptions = {}): Promise<string> {
  const result = await run('git', args, { cwd, env: options.env, signal: options.signal, input: options.input });
  return result.stdout.replace(/\n$/, '');
}

const SHA = /^[0-9a-f]{40}$/;

/** Where an app folder sits in its repository. */
export interface RepoLocation {
  /** Absolute top-level folder of the work tree. */
  top: string;
  /** The app folder relative to the top, '' for the top itself (no trailing slash). */
  prefix: string;
}

/** A repository location with HEAD: its SHA and the app folder's tree in it, when there are. */
export interface HeadLocation extends RepoLocation {
  /** HEAD's SHA; undefined before the first commit. */
  head?: string;
  /** The git tree of the app folder at HEAD; undefined when HEAD does not have the folder. */
  headTree?: string;
}

/**
 * Where the app folder is, HEAD, and the folder's tree at HEAD. Usually one
 * git call (every process started costs the push time); the ones below
 * sort out a repository without commits or a folder HEAD does not have.
 */
export async function locateHead(dir: string, signal?: AbortSignal): Promise<HeadLocation> {
  try {
    // `HEAD:./` is the tree of the folder git runs in: the app folder.
    const out = await git(dir, ['rev-parse', '--show-toplevel', '--show-prefix', 'HEAD^{commit}', 'HEAD:./'], { signal });
    const [top = dir, prefix = '', head = '', headTree = ''] = out.split('\n');
    if (SHA.test(head) && SHA.test(headTree)) return { top, prefix: prefix.replace(/\/$/, ''), head, headTree };
  } catch (err) {
    if (!(err instanceof ProcessError) || err.kind === 'interrupted') throw err;
  }
  return locateHeadSlowly(dir, signal);
}

async function locateHeadSlowly(dir: string, signal?: AbortSignal): Promise<HeadLocation> {
  try {
    const out = await git(dir, ['rev-parse', '--show-toplevel', '--show-prefix', '--verify', '--quiet', 'HEAD^{commit}'], {
      signal,
    });
    const [top = dir, prefix = '', head = ''] = out.split('\n');
    if (SHA.test(head)) return { top, prefix: prefix.replace(/\/$/, ''), head };
  } catch (err) {
    // 1: no commits yet; anything else (not a repository …) is explained by locateRepo below.
    if (!(err instanceof ProcessError) || err.kind === 'interrupted') throw err;
  }
  return locateRepo(dir, signal);
}

export async function locateRepo(dir: string, signal?: AbortSignal): Promise<RepoLocation> {
  let out: string;
  try {
    out = await git(dir, ['rev-parse', '--show-toplevel', '--show-prefix'], { signal });
  } catch (err) {
    if (err instanceof ProcessError && err.kind !== 'interrupted') {
      throw new IonflowError('precondition', `${dir} is not inside a git repository`, {
        hint: 'push archives git content: run `git init` and commit the app first',
        cause: err,
      });
    }
    throw err;
  }
  const [top = dir, prefix = ''] = out.split('\n');
  return { top, prefix: prefix.replace(/\/$/, '') };
}

/**
 * Before reporting a git failure in `dir`: when the folder is not in a git
 * repository at all, that is the error to give (the one-line precondition,
 * exit 3), not git's raw "fatal: not a git repository". One more git call,
 * on failure only.
 */
async function throwIfNotARepo(dir: string, err: unknown, signal?: AbortSignal): Promise<void> {
  if (err instanceof ProcessError && err.kind !== 'interrupted') await locateRepo(dir, signal);
}

/** HEAD's commit SHA, or undefined in a repository without commits. */
export async function headSha(dir: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    return await git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { signal });
  } catch (err) {
    if (err instanceof ProcessError && err.exitCodeOfProcess === 1) return undefined;
    await throwIfNotARepo(dir, err, signal);
    throw err;
  }
}

/** HEAD's SHA; a repository without commits is a precondition error. */
export async function requireHead(dir: string, signal?: AbortSignal): Promise<string> {
  return commitOrRefuse(await headSha(dir, signal));
}

/** A SHA found by locateHead, or the precondition error of a repository without commits. */
export function commitOrRefuse(sha: string | undefined): string {
  if (!sha) {
    throw new IonflowError('precondition', 'the repository has no commits yet', {
      hint: 'commit the app first, or push the working tree with --uname <name>',
    });
  }
  return sha;
}

/** Resolve `--rev` (a SHA, branch, tag, HEAD~1 …) to a full commit SHA. */
export async function resolveRev(dir: string, rev: string, signal?: AbortSignal): Promise<string> {
  if (rev.startsWith('-')) throw usageError(`--rev ${rev} is not a commit`);
  try {
    const sha = await git(dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { signal });
    if (SHA.test(sha)) return sha;
  } catch (err) {
    if (!(err instanceof ProcessError) || err.kind === 'interrupted') throw err;
    await throwIfNotARepo(dir, err, signal);
  }
  throw usageError(`--rev ${rev} does not name a commit of this repository`, {
    hint: 'give a commit SHA, branch or tag that `git rev-parse` knows (fetch it first if it is remote)',
  });
}

/** The tree id of `prefix` in a tree-ish (a commit or a tree). Undefined when the folder is absent. */
export async function subtree(dir: string, treeish: string, prefix: string, signal?: AbortSignal): Promise<string | undefined> {
  const spec = prefix ? `${treeish}:${prefix}` : `${treeish}^{tree}`;
  try {
    return await git(dir, ['rev-parse', '--verify', '--quiet', spec], { signal });
  } catch (err) {
    if (err instanceof ProcessError && err.exitCodeOfProcess === 1) return undefined;
    throw err;
  }
}

/** The current folder minus `excludes` (paths relative to it), as a pathspec. */
export function pathspec(excludes: string[]): string[] {
  return ['.', ...excludes.map((e) => `:(exclude)${e}`)];
}

/**
 * The paths of `paths` that git does not ignore. `git add` refuses a pathspec
 * naming an ignored path, even as an exclude, and ignored paths need no
 * excluding anyway.
 */
export async function notIgnored(dir: string, paths: string[], signal?: AbortSignal): Promise<string[]> {
  if (paths.length === 0) return [];
  let ignored = new Set<string>();
  try {
    const out = await git(dir, ['check-ignore', '--', ...paths], { signal });
    ignored = new Set(out.split('\n').filter(Boolean));
  } catch (err) {
    // Exit 1 means none of them is ignored.
    if (!(err instanceof ProcessError) || err.exitCodeOfProcess !== 1) throw err;
  }
  return paths.filter((p) => !ignored.has(p));
}

/**
 * Porcelain status lines for the app folder (untracked, not ignored files
 * count). Empty = clean.
 */
export async function statusLines(appDir: string, excludes: string[] = [], signal?: AbortSignal): Promise<string[]> {
  const out = await git(appDir, ['status', '--porcelain', '--untracked-files=normal', '--', ...pathspec(excludes)], {
    signal,
  });
  return out.split('\n').filter((l) => l.length > 0);
}

/** The committer time of a commit, as git's raw `<seconds> <zone>` form. */
export async function commitDate(dir: string, sha: string, signal?: AbortSignal): Promise<string> {
  return git(dir, ['show', '-s', '--format=%cd', '--date=raw', sha], { signal });
}
