import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { upToDateCheck } from '../../src/engine/up-to-date.js';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';
import { appRepo } from './cli-repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

async function states(r: TempRepo, opts: { rev?: string; uname?: string } = {}) {
  const config = await loadConfig({ cwd: r.dir });
  const check = upToDateCheck(config, opts);
  const steps = config.pipelines.dev!.steps;
  return Promise.all(steps.map(async (s) => [s.id, await check(s)] as const));
}

describe('upToDateCheck (what plan shows)', () => {
  it('says push and deploy would run until a run has done them, and again after a new commit', async () => {
    repo = appRepo();
    expect(await states(repo)).toEqual([
      ['push-shop', false],
      ['deploy-dev', false],
      ['wait-dev', false],
    ]);
    const first = repo.head();
    expect((await runCli(['run', 'dev', '--output', 'jsonl'], { cwd: repo.dir, env: repo.env })).code).toBe(0);
    expect(await states(repo)).toEqual([
      ['push-shop', true],
      ['deploy-dev', true],
      ['wait-dev', false],
    ]);
    repo.commit('next', { 'src/app.txt': 'next\n' });
    expect(await states(repo)).toEqual([
      ['push-shop', false],
      ['deploy-dev', false],
      ['wait-dev', false],
    ]);
    // --rev names the commit that was pushed and deployed.
    expect((await states(repo, { rev: first })).slice(0, 2)).toEqual([
      ['push-shop', true],
      ['deploy-dev', true],
    ]);
    // A uname never pushed would run.
    expect((await states(repo, { uname: 'never' }))[0]).toEqual(['push-shop', false]);
  });
});
