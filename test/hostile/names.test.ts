// SPEC §17: names that become path segments or S3 keys are
// [A-Za-z0-9_][A-Za-z0-9._-]* with no '..'. `name: ../../../../elsewhere/x`
// passed validate and push wrote outside the store (on S3: into another bucket).

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { cleanUpRepos, cliIn, inRepo, problemLines } from '../support/hostile.js';

cleanUpRepos();

const RULE = "use letters, digits, '.', '_' and '-', starting with a letter, digit or '_', with no '..'";

const withApp = (app: string) => `version: 1
apps:
  shop:
${app}
groups:
  dev: { app: shop, local: .ionflow/groups/dev }
pipelines:
  p: { steps: [push: shop, deploy: dev] }
`;

describe('names in deploy.yaml and ion-config.edn', () => {
  it('refuses an app name with ../ at its place, and push writes nothing anywhere', async () => {
    const repo = inRepo({ 'deploy.yaml': withApp('    name: ../../../../elsewhere/x'), '.gitignore': '.ionflow/\n' });
    repo.commit('initial');
    const validate = await runCli(['validate'], { cwd: repo.dir, env: repo.env });
    expect(validate.code).toBe(2);
    expect(problemLines(validate.stderr)).toEqual([`deploy.yaml:4:11: app name "../../../../elsewhere/x" is not a valid name: ${RULE}`]);
    const push = await runCli(['push'], { cwd: repo.dir, env: repo.env });
    expect(push.code).toBe(2);
    expect(existsSync(join(repo.dir, '.ionflow'))).toBe(false);
    expect(existsSync(resolve(repo.dir, '.ionflow/store', '../../../../elsewhere'))).toBe(false);
  });

  it('refuses an :app-name with ../ in ion-config.edn, and keys and s3 prefixes with ..', async () => {
    const r = await cliIn(
      {
        'deploy.yaml': withApp(`    store: { s3: { bucket: code, prefix: "datomic/../../", profile: p } }
  a..b: {}
profiles:
  p: { region: us-east-1, endpoints: { s3: "http://127.0.0.1:9" } }`).replace('local: .ionflow/groups/dev', 'aws: { profile: p }'),
        'resources/datomic/ion-config.edn': '{:app-name "../../x"}\n',
      },
      ['validate'],
    );
    expect(r.code).toBe(2);
    expect(problemLines(r.stderr)).toEqual([
      `deploy.yaml:4:42: prefix "datomic/../../" must be folder names separated by '/': ${RULE.replace('use ', '')}`,
      `deploy.yaml:5:3: 'a..b' is not a valid name: ${RULE}`,
      `resources/datomic/ion-config.edn:1:12: :app-name "../../x" is not a valid name: ${RULE}`,
    ]);
  });
});

describe('unames on the command line', () => {
  it.each([
    [['push', '--uname', '../x']],
    [['deploy', '--group', 'dev', '--uname', 'a/../../b']],
    [['run', 'p', '--uname', '..']],
    [['{:op :push :uname "../../y"}']],
  ])('%j is exit 2 stating the rule', async (args) => {
    const r = await cliIn({ 'deploy.yaml': withApp('    root: .') }, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: (--|:)uname ".*" is not a valid name: use letters, digits/);
    expect(r.stderr).toContain(RULE.slice(4));
    expect(existsSync(join(r.repo.dir, '.ionflow'))).toBe(false);
  });

  it('takes a uname of 128 characters starting with _, refuses 129', async () => {
    const ok = `_${'a'.repeat(127)}`;
    const under = await cliIn({ 'deploy.yaml': withApp('    root: .') }, ['push', '--uname', ok]);
    expect(under.code, under.stderr).toBe(0);
    expect(existsSync(join(under.repo.dir, `.ionflow/store/shop/${ok}.zip`))).toBe(true);
    const over = await cliIn({ 'deploy.yaml': withApp('    root: .') }, ['push', '--uname', `${ok}a`]);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('(at most 128)');
  });
});
