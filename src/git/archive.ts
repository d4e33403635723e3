// What a push archives and how: the tree of the app folder at a commit (or of
// the working tree, through a temporary index), streamed as the zip
// `git archive --format=zip` describes. The user's index and files are never touched.

import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { InterruptedError, IonflowError } from '../model/errors.js';
import { lastReason, ProcessError, spawnStream } from '../process.js';
import type { ZipSummary } from '../zip/tar-to-zip.js';
import { BIG_FILE_THRESHOLD, BigFiles, PACK_WINDOWS } from './big-files.js';
import { commitDate, git, type HeadLocation, headSha, notIgnored, pathspec, type RepoLocation, subtree } from './git.js';

/** A tree ready to archive: `treeish` gives byte-identical zips for the same `tree`. */
export interface ArchiveSource {
  /** The git tree id of the app folder's content. */
  tree: string;
  /**
   * What `git archive` is given: a commit, so file times (and bytes) are
   * reproducible. Made on the first call: for a sub-folder app it is a commit
   * made for it (two git calls), which a push found up to date never needs.
   */
  treeish(): Promise<string>;
}

/** `make` on the first call only; its failure surfaces where a call is awaited. */
function once(make: () => Promise<string>): () => Promise<string> {
  let made: Promise<string> | undefined;
  return () => {
    if (!made) {
      made = make();
      made.catch(() => undefined);
    }
    return made;
  };
}

// Fixed identity for the helper commits below, so their ids depend on content only.
const IDENTITY = {
  GIT_AUTHOR_NAME: 'ionflow',
  GIT_AUTHOR_EMAIL: 'ionflow@localhost',
  GIT_COMMITTER_NAME: 'ionflow',
  GIT_COMMITTER_EMAIL: 'ionflow@localhost',
};

/**
 * `git archive <tree>` stamps every entry with the current time, so the same
 * content would give different zips. Wrapping the tree in a commit with a fixed
 * identity and date makes the archive a pure function of (tree, date). The
 * commit is an unreferenced object that `git gc` removes in due course.
 */
async function wrapTree(top: string, tree: string, date: string, message: string, signal?: AbortSignal): Promise<string> {
  return git(top, ['commit-tree', '--no-gpg-sign', tree, '-m', message], {
    signal,
    env: { ...IDENTITY, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  });
}

function missingFolder(prefix: string, where: string): IonflowError {
  return new IonflowError('precondition', `the app folder ${prefix} does not exist in ${where}`, {
    hint: 'commit the app folder first, or check the app root in deploy.yaml',
  });
}

/** The app folder at a commit. Whole-repository apps archive the commit itself. */
export async function commitSource(loc: HeadLocation, sha: string, signal?: AbortSignal): Promise<ArchiveSource> {
  const tree = sha === loc.head && loc.headTree ? loc.headTree : await subtree(loc.top, sha, loc.prefix, signal);
  if (!tree) throw missingFolder(loc.prefix, `commit ${sha}`);
  if (!loc.prefix) return { tree, treeish: async () => sha };
  const { top, prefix } = loc;
  return { tree, treeish: once(async () => wrapTree(top, tree, await commitDate(top, sha, signal), `ionflow: ${sha}:${prefix}`, signal)) };
}

/**
 * The working tree of the app folder as it is: tracked files plus untracked
 * files git does not ignore. Built in a temporary index (a copy of the user's,
 * for its stat cache), so the user's index and files stay as they are.
 */
export async function workTreeSource(loc: RepoLocation, excludes: string[] = [], signal?: AbortSignal): Promise<ArchiveSource> {
  const temp = await mkdtemp(join(tmpdir(), 'ionflow-index-'));
  try {
    const index = join(temp, 'index');
    const env = { GIT_INDEX_FILE: index };
    const appDir = loc.prefix ? join(loc.top, loc.prefix) : loc.top;
    // Three independent questions, asked at once.
    const [head, userIndex, toExclude] = await Promise.all([
      headSha(loc.top, signal),
      git(loc.top, ['rev-parse', '--git-path', 'index'], { signal }),
      notIgnored(appDir, excludes, signal),
    ]);
    const copied = await copyFile(isAbsolute(userIndex) ? userIndex : join(loc.top, userIndex), index).then(
      () => true,
      () => false,
    );
    if (!copied && head) await git(loc.top, ['read-tree', head], { env, signal });
    await git(appDir, ['add', '-A', '--', ...pathspec(toExclude)], { env, signal });
    const root = await git(loc.top, ['write-tree'], { env, signal });
    const tree = await subtree(loc.top, root, loc.prefix, signal);
    if (!tree) throw missingFolder(loc.prefix, 'the working tree');
    const date = head ? await commitDate(loc.top, head, signal) : '315532800 +0000';
    const treeish = await wrapTree(loc.top, tree, date, 'ionflow: working tree', signal);
    return { tree, treeish: async () => treeish };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

export interface ArchiveStream {
  /** The zip bytes; errors if git or the conversion fails, so a store never keeps a truncated zip. */
  body: Readable;
  /** Settles when the zip is complete and git has exited, with what went into it. */
  done: Promise<ZipSummary>;
}

export interface StreamArchiveOptions {
  signal?: AbortSignal;
  /** Passed to the zip writer (tests use small values to reach the streamed path). */
  streamAbove?: number;
  /** git streams blobs above this (default BIG_FILE_THRESHOLD); false leaves git's own setting. */
  bigFileThreshold?: number | false;
}

/**
 * The zip of `git archive --format=zip <commit>`, streamed (never buffered
 * whole). git writes a tar, the cheap part; the zip is built here so files are
 * deflated on every core (see src/zip/tar-to-zip.ts) instead of on git's one.
 */
export function streamArchive(top: string, commit: string, options: StreamArchiveOptions = {}): ArchiveStream {
  const body = new PassThrough({ highWaterMark: 256 * 1024 });
  const sink = (chunk: Buffer): Promise<void> => {
    if (body.destroyed) return Promise.reject(new Error('the revision stream was closed'));
    if (body.write(chunk)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const settle = (err?: Error) => {
        body.off('drain', onDrain);
        body.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = () => settle();
      const onClose = () => settle(new Error('the revision stream was closed'));
      body.once('drain', onDrain);
      body.once('close', onClose);
    });
  };
  // tar.umask=0 keeps the executable bits the zip needs whatever the user's config says.
  // A low core.bigFileThreshold makes git stream big blobs instead of holding each whole (src/git/big-files.ts),
  // and small pack windows keep what git maps of its packs small (see PACK_WINDOWS).
  const threshold = options.bigFileThreshold ?? BIG_FILE_THRESHOLD;
  const big = threshold === false ? undefined : new BigFiles(top, commit, options.signal);
  const streaming = threshold === false ? [] : ['-c', `core.bigFileThreshold=${threshold}`];
  const git = spawnStream('git', ['-c', 'tar.umask=0', ...streaming, ...PACK_WINDOWS, 'archive', '--format=tar', commit], {
    cwd: top,
    signal: options.signal,
  });
  // A consumer that gives up (failed upload) must not leave git blocked on a full pipe.
  body.on('close', () => git.kill());
  const done = (async () => {
    try {
      // Loaded here, not up front: a push that turns out to be up to date never needs it.
      // lazy: tar-to-zip costs 12 ms; an up-to-date push builds no zip (import timed after archive.js, 10 runs; node -e 0: 140 ms)
      const { tarToZip } = await import('../zip/tar-to-zip.js');
      const reread = big && threshold !== false ? { above: threshold, tar: (name: Buffer) => big.reread(name) } : undefined;
      const summary = await tarToZip(git.stdout, sink, { comment: commit, streamAbove: options.streamAbove, reread }).catch(async (err: unknown) => {
        git.kill();
        // When git failed on its own (or was interrupted), its reason beats "truncated tar".
        const gitError = await git.done.then(
          () => undefined,
          (e: unknown) => e,
        );
        const own = gitError instanceof ProcessError && (gitError.kind === 'interrupted' || gitError.exitCodeOfProcess !== undefined);
        throw own ? gitError : err;
      });
      await git.done;
      body.end();
      return summary;
    } catch (err) {
      const failure =
        err instanceof ProcessError && err.kind === 'interrupted'
          ? new InterruptedError()
          : err instanceof ProcessError
            ? new IonflowError('stepFailed', `git archive failed: ${lastReason(err.stderrTail) || err.message}`, { cause: err })
            : new IonflowError('stepFailed', `could not build the revision zip: ${(err as Error).message}`, { cause: err });
      body.destroy(failure);
      throw failure;
    } finally {
      await big?.close();
    }
  })();
  // The store reports the body's error; keep an unobserved `done` from crashing the process.
  done.catch(() => undefined);
  return { body, done };
}
