// --resume on a run that a later --resume already finished (SPEC §12): the
// default resumes the newest run of that chain, so a step done by the resume
// is not done again (here: an older revision deployed over a newer one).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { events } from '../support/app-repo.js';
import { TEAM_YAML, teamRepo } from '../support/team-repo.js';
import type { TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const SMOKE = `${TEAM_YAML}  smoke:
    steps:
      - push: shop
      - deploy: staging
      - run: test -f smoke-ok
      - deploy: qa
`;

it('a run whose resume succeeded is not resumed again: nothing is redeployed over what came since', async () => {
  const team = teamRepo(SMOKE);
  repo = team.repo;
  const { cli } = team;
  const runEnd = (out: string) => events(out).find((e) => e.type === 'run-end') as unknown as { run: string; status: string };

  const failed = await cli('run', 'smoke', '--output', 'jsonl');
  expect(failed.code).toBe(1);
  const first = runEnd(failed.stdout).run;
  writeFileSync(join(repo.dir, 'smoke-ok'), '');
  const resumed = await cli('run', 'smoke', '--resume', '--output', 'jsonl');
  expect(resumed.code, resumed.stderr).toBe(0);
  const second = runEnd(resumed.stdout).run;

  // Since then a newer revision went to qa.
  repo.commit('Second version', { 'src/app.clj': '(ns app) ;; 2\n' });
  expect((await cli('push')).code).toBe(0);
  expect((await cli('deploy', '--group', 'qa', '--rev', 'HEAD')).code).toBe(0);
  const qa = join(repo.dir, '.ionflow/store/shop/ledger/qa');
  const before = readdirSync(qa).length;

  for (const args of [['--resume'], ['--resume', first]]) {
    const again = await cli('run', 'smoke', ...args);
    expect([again.code, again.stderr.trim()]).toEqual([0, `run ${second} of pipeline smoke succeeded; nothing to resume`]);
  }
  expect(readdirSync(qa)).toHaveLength(before);
});
