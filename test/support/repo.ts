// Temporary git repositories for tests: made fresh, removed after, never the
// machine's own config (HOME and GIT_CONFIG_* point at the temp folder).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const gitEnv = (home: string): NodeJS.ProcessEnv => ({
  ...process.env,
  HOME: home,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
});

export interface TempRepo {
  dir: string;
  home: string;
  env: NodeJS.ProcessEnv;
  git(...args: string[]): string;
  write(files: Record<string, string>): void;
  commit(message: string, files?: Record<string, string>): string;
  head(): string;
  cleanup(): void;
}

export function makeTempDir(prefix = 'ionflow-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function makeRepo(files: Record<string, string> = {}, options: { commit?: boolean } = {}): TempRepo {
  const home = makeTempDir('ionflow-home-');
  const dir = join(home, 'repo');
  mkdirSync(dir);
  const env = gitEnv(home);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
  const write = (more: Record<string, string>) => {
    for (const [path, content] of Object.entries(more)) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  };
  git('init', '-q', '-b', 'main');
  const repo: TempRepo = {
    dir,
    home,
    env,
    git,
    write,
    commit(message, more = {}) {
      write(more);
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    head: () => git('rev-parse', 'HEAD'),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
  write(files);
  if (options.commit !== false && Object.keys(files).length > 0) repo.commit('initial');
  return repo;
}
