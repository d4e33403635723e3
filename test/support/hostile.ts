// Hostile-input tests: a throwaway git repository holding the given files, and
// the built binary run in it. Problem lines are `file:LINE:COL: message`.

import { afterEach } from 'vitest';
import { type CliOptions, type CliResult, runCli } from './cli.js';
import { makeRepo, type TempRepo } from './repo.js';

const repos: TempRepo[] = [];

/** Removes the repositories made by `inRepo` after each test of the calling file. */
export function cleanUpRepos(): void {
  afterEach(() => {
    for (const r of repos.splice(0)) r.cleanup();
  });
}

export function inRepo(files: Record<string, string>): TempRepo {
  const repo = makeRepo(files, { commit: false });
  repos.push(repo);
  return repo;
}

/** ionflow `args` in a fresh repository holding `files` (nothing committed). */
export async function cliIn(files: Record<string, string>, args: string[], options: Partial<CliOptions> = {}): Promise<CliResult & { repo: TempRepo }> {
  const repo = inRepo(files);
  const r = await runCli(args, { cwd: repo.dir, ...options, env: { ...repo.env, ...options.env } });
  return { ...r, repo };
}

export const problemLines = (stderr: string): string[] => stderr.split('\n').filter((l) => /^\S+:\d+:\d+: /.test(l));
