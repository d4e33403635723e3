import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { upToDateCheck } from '../../src/actions/up-to-date.js';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';
import { appRepo, DEV, events } from '../support/app-repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

async function states(r: TempRepo, opts: { rev?: string; uname?: string } = {}, pipeline = 'dev') {
  const config = await loadConfig({ cwd: r.dir });
  const steps = config.pipelines[pipeline]!.steps;
  const check = upToDateCheck(config, { ...opts, steps });
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

  it('a push whose stored zip is gone is not up to date, as run would push it again', async () => {
    repo = appRepo();
    expect((await runCli(['run', 'dev', '--output', 'jsonl'], { cwd: repo.dir, env: repo.env })).code).toBe(0);
    expect((await states(repo))[0]).toEqual(['push-shop', true]);
    const config = await loadConfig({ cwd: repo.dir });
    const app = config.apps.shop!;
    if (app.store.kind !== 'local') throw new Error('the fixture has a local store');
    rmSync(join(app.store.dir, app.name, `${repo.head()}.zip`));
    expect((await states(repo))[0]).toEqual(['push-shop', false]);
  });

  it('a uname deployed before but pushed again with new content is not up to date: plan agrees with run', async () => {
    repo = appRepo(`${DEV}  ship:
    steps:
      - deploy: dev
`);
    const cli = (args: string[]) => runCli(args, { cwd: repo!.dir, env: repo!.env });
    expect((await cli(['run', 'dev', '--uname', 'wip', '--output', 'jsonl'])).code).toBe(0);
    expect(await states(repo, { uname: 'wip' }, 'ship')).toEqual([['deploy-dev', true]]);
    repo.write({ 'src/app.txt': 'new content under the same name\n' });
    // In a pipeline that pushes first, the push decides (plan cannot read a uname's new content): not "up to date".
    expect((await states(repo, { uname: 'wip' }))[1]).toEqual(['deploy-dev', undefined]);
    expect((await cli(['push', '--uname', 'wip'])).code).toBe(0);
    expect(await states(repo, { uname: 'wip' }, 'ship')).toEqual([['deploy-dev', false]]);
    const run = await cli(['run', 'ship', '--uname', 'wip', '--output', 'jsonl']);
    expect(run.code, run.stderr).toBe(0);
    expect(events(run.stdout)).toContainEqual(expect.objectContaining({ type: 'step-end', step: 'deploy-dev', status: 'succeeded' }));
    expect(await states(repo, { uname: 'wip' }, 'ship')).toEqual([['deploy-dev', true]]);
  });
});
