// `ionflow deploy` and `deploy-status` end to end: the built binary on a real
// temporary repository with a local store and a local compute group.
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';
import { ALL_HOOKS, appspec, cliRepo, commitApp, LOCAL_DEPLOY_MAP, readLines } from '../support/deploy-fixtures.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

describe('ionflow deploy / deploy-status (local group)', () => {
  it('deploys a pushed commit, prints the ion-dev map, and reports SUCCEEDED', async () => {
    const app = cliRepo();
    repo = app.repo;
    const cli = (...args: string[]) => runCli(args, { cwd: app.repo.dir, env: app.env });
    const rev = app.repo.head();
    expect((await cli('push')).code).toBe(0);

    const deployed = await cli('deploy', '--group', 'dev', '--rev', rev);
    expect(deployed.code).toBe(0);
    const arn = LOCAL_DEPLOY_MAP.exec(deployed.stdout)?.[1];
    expect(arn, deployed.stdout).toBeDefined();
    expect(readLines(app.log).map((l) => l.split(' ')[0])).toEqual(ALL_HOOKS.slice(1));

    const status = await cli('deploy-status', '--execution-arn', arn!);
    expect([status.code, status.stdout]).toEqual([0, '{:deploy-status "SUCCEEDED" :code-deploy-status "SUCCEEDED"}\n']);
    const waited = await cli(`{:op :deploy-status :execution-arn "${arn}" :wait true}`, '--json');
    expect([waited.code, waited.stdout]).toEqual([0, '{"deploy-status":"SUCCEEDED","code-deploy-status":"SUCCEEDED"}\n']);
    // The id alone with its group works too (ion-dev's :deployment-id form).
    const byId = await cli('deploy-status', '--deployment-id', arn!.split(':').pop()!, '--group', 'dev');
    expect(byId.stdout).toBe('{:deploy-status "SUCCEEDED" :code-deploy-status "SUCCEEDED"}\n');
    const latest = await cli('deploy-status', '--group', 'dev');
    expect(latest.stdout).toBe('{:deploy-status "SUCCEEDED" :code-deploy-status "SUCCEEDED"}\n');
    // Deploying leaves the work tree clean (the group lives under the ignored .ionflow/).
    expect(app.repo.git('status', '--porcelain')).toBe('');
  });

  it('a failing ValidateService exits 1, keeps the previous release current, and status says FAILED with the error', async () => {
    const app = cliRepo();
    repo = app.repo;
    const cli = (...args: string[]) => runCli(args, { cwd: app.repo.dir, env: app.env });
    const rev1 = app.repo.head();
    await cli('push');
    await cli(`{:op :deploy :group "dev" :rev "${rev1}"}`);
    const rev2 = commitApp(
      app.repo,
      'broken validate',
      {
        'appspec.yml': appspec({ ApplicationStart: 'scripts/hook.sh', ValidateService: 'scripts/validate.sh' }),
        'scripts/validate.sh': '#!/bin/sh\necho "GET /health: 503" >&2\nexit 1\n',
      },
      ['scripts/validate.sh'],
    );
    await cli('push');
    const failed = await cli('deploy', '--group', 'dev', '--rev', rev2);
    expect(failed.code).toBe(1);
    const arn = LOCAL_DEPLOY_MAP.exec(failed.stdout)?.[1];
    expect(arn, failed.stdout).toBeDefined();
    expect(failed.stderr).toContain(
      `error: deployment ${arn} of ${rev2} to group dev FAILED: ValidateService hook scripts/validate.sh exited with 1: GET /health: 503`,
    );
    expect(readlinkSync(join(app.repo.dir, '.ionflow/groups/dev/current'))).toBe(join('releases', rev1));

    const status = await cli('deploy-status', '--execution-arn', arn!);
    expect(status.code).toBe(1);
    expect(status.stdout).toBe(
      '{:deploy-status "FAILED" :code-deploy-status "FAILED" :error "ValidateService hook scripts/validate.sh exited with 1: GET /health: 503" :failure {:event "ValidateService" :target "dev" :script "scripts/validate.sh" :exit-code 1 :message "ValidateService hook scripts/validate.sh exited with 1: GET /health: 503" :log-tail "GET /health: 503"}}\n',
    );
  });

  it('refuses a revision that is not in the store with exit 3 and the push command', async () => {
    const app = cliRepo();
    repo = app.repo;
    const rev = app.repo.head();
    const res = await runCli(['deploy', '--group', 'dev', '--rev', rev], { cwd: app.repo.dir, env: app.env });
    expect(res.code).toBe(3);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain(`error: revision ${rev} of app sample is not in the store`);
    expect(res.stderr).toContain(`hint: push it first: ionflow push --rev ${rev}`);
  });

  it('rejects missing or unknown flags as usage errors', async () => {
    const app = cliRepo();
    repo = app.repo;
    const cli = (...args: string[]) => runCli(args, { cwd: app.repo.dir, env: app.env });
    expect((await cli('deploy', '--group', 'dev')).code).toBe(2);
    expect((await cli('deploy', '--group', 'nope', '--uname', 'x')).stderr).toContain('error: unknown group nope; deploy.yaml has dev');
    const status = await cli('deploy-status');
    expect([status.code, status.stderr.split('\n')[0]]).toEqual([
      2,
      'error: say which deployment: --execution-arn <arn>, --deployment-id <id> --group <g>, or --group <g> for its latest',
    ]);
    expect((await cli('deploy-status', '--execution-arn', 'arn:ionflow:local:dev:d-nope')).code).toBe(2);
  });
});
