// Big files in `git archive`. Below core.bigFileThreshold (512 MiB by
// default) git reads each blob whole into memory, so a revision of 128 MiB
// files cost git about twice that in RSS; above it, git streams the blob. A
// push lowers the threshold so that git streams. But a streamed blob is
// written as stored: git (2.39 at least) skips the conversions it applies to
// other files (text/eol, ident, filter, working-tree-encoding; only
// export-subst files are never streamed). So for each big file the archive
// brings, ionflow asks git whether one of those would apply, and if so, takes
// that file from a second `git archive` of that path alone, at git's own
// threshold: the bytes are then what they were without the lower threshold.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ProcessError, spawnStream } from '../process.js';
import { git } from './git.js';

/** What a push passes as `-c core.bigFileThreshold`: git streams blobs above it. */
export const BIG_FILE_THRESHOLD = 8 * 1024 * 1024;

/**
 * git reads packs through mmap windows of 1 GiB, up to 8 GiB mapped at once
 * (64-bit defaults), and every page read stays in its RSS while mapped: the
 * archive of a packed 1 GiB revision peaked at 1 GiB RSS. With windows of
 * 16 MiB, 64 MiB at most, it peaked at 68 MiB (bench/memory.bench.mjs), and
 * the archive of the packed 5,000-file bench repository took the same time
 * (0.19 s against 0.18 s).
 */
export const PACK_WINDOWS = ['-c', 'core.packedGitWindowSize=16m', '-c', 'core.packedGitLimit=64m'];

// The attributes through which git converts a file on its way out (convert.c).
const CONVERTING = ['text', 'eol', 'crlf', 'ident', 'filter', 'working-tree-encoding'];

/** A tar from git holding (at least) one file, and the process writing it. */
export interface RereadTar {
  tar: Readable;
  done: Promise<void>;
  kill(): void;
}

/** Reads a big file again when git streamed it past a conversion. */
export class BigFiles {
  private temp: Promise<string> | undefined;
  private index: Promise<{ dir: string; autocrlf: string }> | undefined;

  constructor(
    private readonly top: string,
    private readonly treeish: string,
    private readonly signal?: AbortSignal,
  ) {}

  /** git's attributes as `git archive <treeish>` reads them: from the archived tree, in a temporary index. */
  private prepare(): Promise<{ dir: string; autocrlf: string }> {
    this.index ??= (async () => {
      this.temp = mkdtemp(join(tmpdir(), 'ionflow-attrs-'));
      const dir = await this.temp;
      const [autocrlf] = await Promise.all([
        git(this.top, ['config', '--get', 'core.autocrlf'], { signal: this.signal }).catch((err: unknown) => {
          if (err instanceof ProcessError && err.exitCodeOfProcess === 1) return ''; // not set
          throw err;
        }),
        git(this.top, ['read-tree', this.treeish], { env: { GIT_INDEX_FILE: join(dir, 'index') }, signal: this.signal }),
      ]);
      return { dir, autocrlf: autocrlf.trim().toLowerCase() };
    })();
    return this.index;
  }

  /** Whether git converts `path` when it does not stream it (unsure counts as yes). */
  private async converts(path: string): Promise<boolean> {
    const { dir, autocrlf } = await this.prepare();
    const out = await git(this.top, ['check-attr', '--cached', '-z', ...CONVERTING, '--', path], {
      env: { GIT_INDEX_FILE: join(dir, 'index') },
      signal: this.signal,
    });
    const values = new Map<string, string>();
    const fields = out.split('\0');
    for (let i = 0; i + 2 < fields.length; i += 3) values.set(fields[i + 1]!, fields[i + 2]!);
    const set = (a: string) => values.get(a) !== 'unspecified' && values.get(a) !== 'unset';
    if (['ident', 'filter', 'working-tree-encoding'].some(set)) return true;
    // -text (the `binary` macro) turns line-ending conversion off, whatever core.autocrlf says.
    if (values.get('text') === 'unset' || values.get('crlf') === 'unset') return false;
    return ['text', 'eol', 'crlf'].some(set) || autocrlf === 'true';
  }

  /**
   * For a file of more than BIG_FILE_THRESHOLD bytes in the archive, named by
   * its path bytes: a tar holding it as git converts it, or undefined when the
   * archive's copy is right as it is.
   */
  async reread(name: Buffer): Promise<RereadTar | undefined> {
    const path = name.toString('utf8');
    // A name that is not UTF-8 cannot be passed to git as an argument: take it from a whole second archive.
    const named = Buffer.from(path, 'utf8').equals(name);
    if (named && !(await this.converts(path))) return undefined;
    const args = ['-c', 'tar.umask=0', ...PACK_WINDOWS, 'archive', '--format=tar', this.treeish, ...(named ? ['--', `:(literal)${path}`] : [])];
    const proc = spawnStream('git', args, { cwd: this.top, signal: this.signal });
    return { tar: proc.stdout, done: proc.done, kill: proc.kill };
  }

  async close(): Promise<void> {
    await this.index?.catch(() => undefined);
    const dir = await this.temp?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
