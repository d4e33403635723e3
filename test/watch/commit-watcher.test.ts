import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchCommitFiles } from '../../src/watch/commit-watcher.js';
import { gitDirs, readHead } from '../../src/watch/git-dirs.js';
import { makeRepo, type TempRepo } from '../support/repo.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

async function watching(dir: string) {
  const touches: string[] = [];
  const watcher = await watchCommitFiles(await gitDirs(dir), (p) => touches.push(p));
  return { touches, close: () => watcher.close() };
}

describe('watchCommitFiles', () => {
  it('sees commits, and nothing for work-tree edits, staging or git status', async () => {
    repo = makeRepo({ 'a.txt': 'one\n' });
    const w = await watching(repo.dir);
    repo.write({ 'a.txt': 'edited\n', 'new.txt': 'untracked\n' });
    repo.git('status', '--porcelain');
    repo.git('add', 'a.txt');
    await sleep(300);
    expect(w.touches).toEqual([]);
    repo.commit('second');
    await sleep(300);
    expect(w.touches.length).toBeGreaterThan(0);
    expect(w.touches.some((t) => t.startsWith('refs'))).toBe(true);
    await w.close();
  });

  it('sees a checkout of another commit (HEAD moves, no ref does) and a reset', async () => {
    repo = makeRepo({ 'a.txt': 'one\n' });
    const first = repo.head();
    repo.commit('second', { 'a.txt': 'two\n' });
    const w = await watching(repo.dir);
    repo.git('checkout', '-q', '--detach', first);
    await sleep(300);
    expect(w.touches).toContain('HEAD');
    w.touches.length = 0;
    repo.git('checkout', '-q', 'main');
    repo.git('reset', '-q', '--hard', first);
    await sleep(300);
    expect(w.touches.length).toBeGreaterThan(0);
    await w.close();
  });

  it('watches a linked worktree: its own HEAD and the shared refs', async () => {
    repo = makeRepo({ 'a.txt': 'one\n' });
    const wt = join(repo.home, 'wt');
    repo.git('worktree', 'add', '-q', '-b', 'feature', wt);
    const dirs = await gitDirs(wt);
    expect(dirs.gitDir).not.toBe(dirs.commonDir);
    const w = await watching(wt);
    repo.git('-C', wt, 'commit', '-q', '--allow-empty', '-m', 'in the worktree');
    await sleep(300);
    expect(w.touches.some((t) => t.includes('feature'))).toBe(true);
    expect(await readHead(wt)).toBe(repo.git('-C', wt, 'rev-parse', 'HEAD'));
    await w.close();
  });

  it('sees packed refs being rewritten', async () => {
    repo = makeRepo({ 'a.txt': 'one\n' });
    const w = await watching(repo.dir);
    repo.git('pack-refs', '--all');
    await sleep(300);
    expect(w.touches.some((t) => t === 'packed-refs' || t.startsWith('refs'))).toBe(true);
    await w.close();
  });
});
