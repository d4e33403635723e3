import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { commitSource, streamArchive, workTreeSource } from '../../src/git/archive.js';
import { locateRepo } from '../../src/git/git.js';
import { makeRepo, type TempRepo } from '../support/repo.js';
import { zipFiles, zipNames } from '../support/zip-entries.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

async function archiveTo(r: TempRepo, treeish: string, file: string): Promise<Buffer> {
  const path = join(r.home, file);
  const archive = streamArchive(r.dir, treeish);
  await pipeline(archive.body, createWriteStream(path));
  await archive.done;
  return readFileSync(path);
}

describe('archiving a commit', () => {
  it('holds exactly the tracked files of the commit, byte-identical each time', async () => {
    repo = makeRepo({ '.gitignore': '*.log\n', 'src/a.clj': '(ns a)', 'deps.edn': '{}', 'bin/run.sh': '#!/bin/sh\n' });
    repo.write({ 'debug.log': 'ignored', 'untracked.txt': 'not committed' });
    const sha = repo.head();
    const source = await commitSource(await locateRepo(repo.dir), sha);
    expect(await source.treeish()).toBe(sha);
    expect(source.tree).toBe(repo.git('rev-parse', `${sha}^{tree}`));
    const first = await archiveTo(repo, await source.treeish(), 'one.zip');
    const second = await archiveTo(repo, await source.treeish(), 'two.zip');
    expect(first.equals(second)).toBe(true);
    const listed = repo.git('ls-tree', '-r', '--name-only', sha).split('\n').sort();
    expect(await zipNames(join(repo.home, 'one.zip'))).toEqual(listed);
  });

  it('archives only a sub-folder app, with paths relative to it, reproducibly', async () => {
    repo = makeRepo({ 'apps/shop/src/shop.clj': '(ns shop)', 'apps/shop/deps.edn': '{}', 'apps/other/x.txt': 'x', README: 'r' });
    const sha = repo.head();
    const loc = await locateRepo(join(repo.dir, 'apps/shop'));
    const source = await commitSource(loc, sha);
    expect(source.tree).toBe(repo.git('rev-parse', `${sha}:apps/shop`));
    const first = await archiveTo(repo, await source.treeish(), 'one.zip');
    // git stamps a bare tree with the current time: a second later the bytes must not change.
    await new Promise((r) => setTimeout(r, 1100));
    const again = await commitSource(loc, sha);
    const second = await archiveTo(repo, await again.treeish(), 'two.zip');
    expect(first.equals(second)).toBe(true);
    expect(await zipNames(join(repo.home, 'one.zip'))).toEqual(['deps.edn', 'src/shop.clj']);
  });

  it('fails the stream when git cannot archive', async () => {
    repo = makeRepo({ 'a.txt': 'a' });
    await expect(archiveTo(repo, '0000000000000000000000000000000000000000', 'bad.zip')).rejects.toThrow(/git archive failed/);
  });
});

describe('archiving the working tree (uname)', () => {
  it('takes tracked edits and untracked, non-ignored files; leaves index and status as they were', async () => {
    repo = makeRepo({ '.gitignore': 'secret.env\n', 'a.txt': 'committed', 'gone.txt': 'deleted later', 'staged.txt': 's' });
    repo.write({ 'a.txt': 'edited', 'new.txt': 'untracked', 'secret.env': 'ignored' });
    repo.git('rm', '-q', 'gone.txt');
    repo.write({ 'staged.txt': 'staged change' });
    repo.git('add', 'staged.txt');
    // status may refresh the index's stat cache: let it do so before taking the reference copy.
    const statusBefore = repo.git('status', '--porcelain');
    const indexBefore = readFileSync(join(repo.dir, '.git/index'));

    const source = await workTreeSource(await locateRepo(repo.dir));
    await archiveTo(repo, await source.treeish(), 'uname.zip');
    const files = await zipFiles(join(repo.home, 'uname.zip'));
    expect([...files.keys()].sort()).toEqual(['.gitignore', 'a.txt', 'new.txt', 'staged.txt']);
    expect(files.get('a.txt')?.toString()).toBe('edited');

    expect(readFileSync(join(repo.dir, '.git/index')).equals(indexBefore)).toBe(true);
    expect(repo.git('status', '--porcelain')).toBe(statusBefore);
  });

  it('works before the first commit and leaves out excluded folders', async () => {
    repo = makeRepo({ 'app.clj': '(ns app)', '.ionflow/store/shop/x.zip': 'old revision' }, { commit: false });
    const source = await workTreeSource(await locateRepo(repo.dir), ['.ionflow/store']);
    await archiveTo(repo, await source.treeish(), 'first.zip');
    expect(await zipNames(join(repo.home, 'first.zip'))).toEqual(['app.clj']);
    expect(repo.git('status', '--porcelain')).toBe('?? .ionflow/\n?? app.clj'.trim());
  });
});
