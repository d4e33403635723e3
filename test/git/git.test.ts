import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IonflowError } from '../../src/model/errors.js';
import { headSha, locateHead, locateRepo, requireHead, resolveRev, statusLines } from '../../src/git/git.js';
import { makeRepo, makeTempDir, type TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

describe('git module', () => {
  it('locates the top and the app folder prefix', async () => {
    repo = makeRepo({ 'apps/shop/a.txt': 'a', 'b.txt': 'b' });
    expect(await locateRepo(repo.dir)).toEqual({ top: repo.dir, prefix: '' });
    const loc = await locateRepo(join(repo.dir, 'apps/shop'));
    expect(loc.prefix).toBe('apps/shop');
  });

  it('gives HEAD and the app folder tree in it, also for a folder HEAD does not have', async () => {
    repo = makeRepo({ 'apps/shop/a.clj': '(ns a)', 'b.txt': 'b' });
    const head = repo.head();
    expect(await locateHead(join(repo.dir, 'apps/shop'))).toEqual({
      top: repo.dir,
      prefix: 'apps/shop',
      head,
      headTree: repo.git('rev-parse', `${head}:apps/shop`),
    });
    expect((await locateHead(repo.dir)).headTree).toBe(repo.git('rev-parse', `${head}^{tree}`));
    mkdirSync(join(repo.dir, 'apps/new'));
    expect(await locateHead(join(repo.dir, 'apps/new'))).toEqual({ top: repo.dir, prefix: 'apps/new', head });
  });

  it('says when a folder is not in a git repository', async () => {
    const dir = makeTempDir();
    const err = await locateRepo(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IonflowError);
    expect((err as IonflowError).message).toMatch(/not inside a git repository/);
  });

  it('says when the repository has no commits yet', async () => {
    repo = makeRepo({ 'a.txt': 'a' }, { commit: false });
    expect(await headSha(repo.dir)).toBeUndefined();
    await expect(requireHead(repo.dir)).rejects.toThrow('the repository has no commits yet');
  });

  it('resolves --rev to a full SHA and refuses unknown ones as usage errors', async () => {
    repo = makeRepo({ 'a.txt': 'a' });
    const first = repo.head();
    repo.commit('second', { 'a.txt': 'b' });
    repo.git('tag', 'v1', first);
    expect(await resolveRev(repo.dir, 'v1')).toBe(first);
    expect(await resolveRev(repo.dir, 'HEAD~1')).toBe(first);
    expect(await resolveRev(repo.dir, first.slice(0, 8))).toBe(first);
    const err = (await resolveRev(repo.dir, 'nope').catch((e: unknown) => e)) as IonflowError;
    expect(err.kind).toBe('usage');
    expect(err.message).toBe('--rev nope does not name a commit of this repository');
  });

  it('counts untracked files as dirty, ignores ignored ones, and checks only the app folder', async () => {
    repo = makeRepo({ '.gitignore': 'build/\n', 'app/a.txt': 'a', 'other/b.txt': 'b' });
    const app = join(repo.dir, 'app');
    expect(await statusLines(app)).toEqual([]);
    repo.write({ 'other/new.txt': 'x', 'app/build/out.txt': 'ignored' });
    expect(await statusLines(app)).toEqual([]);
    repo.write({ 'app/new.txt': 'x' });
    expect(await statusLines(app)).toEqual(['?? app/new.txt']);
    mkdirSync(join(app, '.ionflow/store'), { recursive: true });
    repo.write({ 'app/.ionflow/store/x.json': '{}' });
    expect(await statusLines(app, ['.ionflow/store'])).toEqual(['?? app/new.txt']);
  });
});
