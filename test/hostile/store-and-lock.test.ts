// Races and leftovers around a local store and group (SPEC §3, §5): two runs
// of one commit deploy it once, and a push killed with -9 does not leave its
// temporary zip in the store forever.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { appspec, cliRepo, commitApp, DEPLOY_YAML, readLines } from '../support/deploy-fixtures.js';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

it('two parallel runs of one commit deploy it once: the second reports up to date', async () => {
  const app = cliRepo();
  repo = app.repo;
  // ApplicationStart takes a second: the second run checks while the first still deploys.
  commitApp(
    app.repo,
    'slow start',
    {
      'deploy.yaml': `${DEPLOY_YAML}pipelines:\n  ship:\n    steps:\n      - push: sample\n      - deploy: dev\n`,
      'appspec.yml': appspec({ ApplicationStop: 'scripts/hook.sh', ApplicationStart: 'scripts/slow.sh' }),
      'scripts/slow.sh': '#!/bin/sh\nsleep 1\necho "ApplicationStart $$" >> "$HOOK_LOG"\n',
    },
    ['scripts/slow.sh'],
  );
  const run = () => runCli(['run', 'ship'], { cwd: app.repo.dir, env: app.env });
  const [a, b] = await Promise.all([run(), run()]);
  expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
  // The app started once, and was never stopped (there was nothing before it).
  expect(readLines(app.log).map((l) => l.split(' ')[0])).toEqual(['ApplicationStart']);
  const outputs = [a, b].map((r) => r.stdout + r.stderr);
  expect(outputs.filter((o) => o.includes('up to date: dev already runs'))).toHaveLength(1);
});

it('a push removes the temporary zips of pushes that died on this host, and only those', async () => {
  const app = cliRepo();
  repo = app.repo;
  const rev = app.repo.head();
  const folder = join(app.repo.dir, '.ionflow/store/sample');
  // What a push killed with -9 leaves: `.<sha>.zip.<pid>.<hex>.tmp`, its pid gone.
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  spawnSync('mkdir', ['-p', folder]);
  const dead = `.${rev}.zip.${deadPid}.deadbeef.tmp`;
  const alive = `.${rev}.zip.${process.pid}.a1b2c3d4.tmp`;
  writeFileSync(join(folder, dead), 'half a zip');
  writeFileSync(join(folder, alive), 'a push in progress');
  const res = await runCli(['push'], { cwd: app.repo.dir, env: app.env });
  expect(res.code, res.stderr).toBe(0);
  expect(existsSync(join(folder, dead))).toBe(false);
  expect(readdirSync(folder).sort()).toEqual([alive, `${rev}.json`, `${rev}.zip`].sort());
});
