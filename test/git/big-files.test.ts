// A push has git stream big blobs (a low core.bigFileThreshold) to keep its
// memory flat. git skips eol/filter/ident conversion on a streamed blob, so
// the revision must come out byte for byte as it did at git's own threshold,
// whatever the attributes say.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { streamArchive } from '../../src/git/archive.js';
import { makeRepo, type TempRepo } from '../support/repo.js';
import { zipFiles } from '../support/zip-entries.js';

const MiB = 1024 * 1024;
let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

async function zipOf(r: TempRepo, file: string, bigFileThreshold: number | false, streamAbove?: number): Promise<Buffer> {
  const path = join(r.home, file);
  const archive = streamArchive(r.dir, r.head(), { bigFileThreshold, streamAbove });
  await pipeline(archive.body, createWriteStream(path));
  await archive.done;
  return readFileSync(path);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const text = (line: string, bytes: number) => line.repeat(Math.ceil(bytes / line.length));
const rawTar = (r: TempRepo, ...config: string[]) =>
  sha256(execFileSync('git', ['-c', 'tar.umask=0', ...config, 'archive', '--format=tar', 'HEAD'], { cwd: r.dir, env: r.env, maxBuffer: 64 * MiB }));

/** Files of 2-3 MiB, over a 1 MiB threshold: plain, converted by attributes or config, and export-subst. */
function bigRepo(): TempRepo {
  const r = makeRepo({}, { commit: false });
  r.git('config', 'filter.upper.smudge', 'tr a-z A-Z');
  r.git('config', 'filter.upper.clean', 'cat');
  r.git('config', 'core.autocrlf', 'true');
  r.write({
    '.gitattributes': ['crlf.txt text eol=crlf', 'subst.txt export-subst', '*.up filter=upper', 'ident.c ident', '*.dat binary', ''].join('\n'),
    'crlf.txt': text('(defn price [cart] (reduce + (map :price cart)))\n', 2 * MiB),
    'subst.txt': `commit $Format:%H$\n${text('(ns shop.cart)\n', 2 * MiB)}`,
    'shout.up': text('make this loud\n', 2 * MiB),
    'ident.c': `/* $Id$ */\n${text('int x;\n', 2 * MiB)}`,
    'auto.txt': text('core.autocrlf=true turns these line ends into CRLF\n', 2 * MiB),
    'small.txt': 'small\n',
  });
  writeFileSync(join(r.dir, 'asset.bin'), randomBytes(3 * MiB));
  // Binary by attribute, text by content: autocrlf must leave it alone, streamed or not.
  writeFileSync(join(r.dir, 'lines.dat'), text('line\n', 2 * MiB));
  r.git('-c', 'core.autocrlf=false', 'add', '-A');
  r.git('commit', '-q', '-m', 'big files');
  return r;
}

describe('a push archives big files as git does at its own threshold', () => {
  it('gives the same zip bytes with git streaming blobs over 1 MiB, whatever the attributes convert', async () => {
    repo = bigRepo();
    // Streaming really does skip git's conversions here: the raw tars differ.
    expect(rawTar(repo, '-c', 'core.bigFileThreshold=1m')).not.toBe(rawTar(repo));

    const reference = await zipOf(repo, 'reference.zip', false);
    const streamed = await zipOf(repo, 'streamed.zip', MiB);
    expect(sha256(streamed)).toBe(sha256(reference));
    // And with the zip writer streaming them too (files over 1 MiB deflated as they come).
    expect((await zipOf(repo, 'both.zip', MiB, MiB)).equals(await zipOf(repo, 'both-reference.zip', false, MiB))).toBe(true);

    const files = await zipFiles(join(repo.home, 'streamed.zip'));
    expect(files.get('crlf.txt')?.subarray(0, 60).toString()).toContain(')))\r\n');
    expect(files.get('auto.txt')?.subarray(0, 60).toString()).toContain('CRLF\r\n');
    expect(files.get('subst.txt')?.subarray(0, 49).toString()).toBe(`commit ${repo.head()}\r\n`);
    expect(files.get('shout.up')?.subarray(0, 16).toString()).toBe('MAKE THIS LOUD\r\n');
    expect(files.get('ident.c')?.subarray(0, 8).toString()).toBe('/* $Id: ');
    expect(files.get('lines.dat')?.subarray(0, 10).toString()).toBe('line\nline\n');
    expect(files.get('asset.bin')?.equals(readFileSync(join(repo.dir, 'asset.bin')))).toBe(true);
  });

  it('fails the push when the second read of a converted file fails', async () => {
    repo = bigRepo();
    // A filter that fails on the file's second read: the zip must not come out with the unconverted copy.
    repo.git('config', 'filter.upper.smudge', 'false');
    repo.git('config', 'filter.upper.required', 'true');
    await expect(zipOf(repo, 'failed.zip', MiB)).rejects.toThrow(/git archive failed|could not build the revision zip/);
  });
});
