// Errors that arise while an op map's command runs name the op map's keys
// (`:rev nope …`), not the flags of the command line form.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeRepo, type TempRepo } from '../support/repo.js';

let repo: TempRepo;
beforeAll(() => {
  repo = makeRepo({
    'deploy.yaml': 'version: 1\napps:\n  shop: { store: { local: .ionflow/store } }\ngroups:\n  dev: { app: shop, local: .ionflow/groups/dev }\n',
  });
});
afterAll(() => repo.cleanup());

describe('op map errors in EDN words', () => {
  it('says :rev and :uname where the flag form says --rev and --uname; hints keep the commands to type', async () => {
    const cli = (op: string) => runCli([op], { cwd: repo.dir, env: repo.env });
    const [rev, deployRev, uname, missing] = await Promise.all([
      cli('{:op :push :rev "nope"}'),
      cli('{:op :deploy :group "dev" :rev "nope"}'),
      cli('{:op :push :uname "bad name"}'),
      cli('{:op :deploy :group "dev" :uname "never"}'),
    ]);
    expect([rev.code, rev.stderr.split('\n')[0]]).toEqual([2, 'error: :rev nope does not name a commit of this repository']);
    expect(deployRev.stderr.split('\n')[0]).toBe('error: :rev nope does not name a commit of this repository');
    expect([uname.code, uname.stderr.split('\n')[0]]).toEqual([
      2,
      `error: :uname "bad name" is not a valid name: use letters, digits, '.', '_' and '-', starting with a letter, digit or '_', with no '..' (at most 128)`,
    ]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('hint: push it first: ionflow push --uname never');
    // The flag form keeps its flags.
    const flags = await runCli(['push', '--rev', 'nope'], { cwd: repo.dir, env: repo.env });
    expect(flags.stderr.split('\n')[0]).toBe('error: --rev nope does not name a commit of this repository');
  });
});
