// `ionflow push` end to end with the local store: the built binary on temp repos.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEDNString } from 'edn-data';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeRepo, type TempRepo } from '../support/repo.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const DEPLOY_YAML = `version: 1
apps:
  shop:
    store:
      local: .ionflow/store
groups:
  dev:
    app: shop
    local: .ionflow/groups/dev
pipelines:
  dev:
    steps:
      - push: shop
`;

const edn = (text: string) => parseEDNString(text.trim(), { mapAs: 'object', keywordAs: 'string' }) as Record<string, unknown>;

describe('ionflow push (local store)', () => {
  it('prints the ion-dev map on stdout, progress on stderr, and skips the same commit the second time', async () => {
    repo = makeRepo({ 'deploy.yaml': DEPLOY_YAML, 'src/core.clj': '(ns core)' });
    const sha = repo.head();
    const first = await runCli(['push'], { cwd: repo.dir, env: repo.env });
    expect(first.stderr).toMatch(/archiving commit [0-9a-f]{40} → /);
    expect(first.stderr).toMatch(/pushed \S+ [0-9a-f]{40}: .*, 2 files, sha256/);
    expect(first.code).toBe(0);
    expect(edn(first.stdout)).toEqual({
      rev: sha,
      'deploy-groups': ['dev'],
      'deploy-command': `ionflow deploy --group dev --rev ${sha}`,
      doc: 'To deploy, issue the :deploy-command, or run a pipeline: ionflow run <pipeline>',
    });
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(repo.dir, '.ionflow/store/shop', `${sha}.zip`))).toBe(true);

    const second = await runCli(['push', '--json'], { cwd: repo.dir, env: repo.env });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/skipped \(up to date\)/);
    expect(JSON.parse(second.stdout)).toMatchObject({ rev: sha, 'deploy-groups': ['dev'] });
  });

  it('answers the op map form with a uname', async () => {
    repo = makeRepo({ 'deploy.yaml': DEPLOY_YAML, 'a.txt': 'a' });
    repo.write({ 'wip.txt': 'work in progress' });
    const result = await runCli(['{:op :push :uname "wip-1"}'], { cwd: repo.dir, env: repo.env });
    expect(result.code).toBe(0);
    expect(edn(result.stdout)).toMatchObject({ uname: 'wip-1', 'deploy-command': 'ionflow deploy --group dev --uname wip-1' });
  });

  it('refuses a dirty tree with exit 3 and the exact error line', async () => {
    repo = makeRepo({ 'deploy.yaml': DEPLOY_YAML, 'a.txt': 'a' });
    repo.write({ 'a.txt': 'edited' });
    const result = await runCli(['push'], { cwd: repo.dir, env: repo.env });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe('error: You must either specify a uname or push from a clean git commit');
  });

  it('a bare push with several apps takes the app whose root holds the current folder; --app only when that is ambiguous', async () => {
    const yaml = DEPLOY_YAML.replace(
      'groups:',
      '  admin:\n    root: admin\n    store:\n      local: .ionflow/store\n  admin-copy:\n    root: admin\n    name: admin\n    store:\n      local: .ionflow/store-2\ngroups:',
    );
    repo = makeRepo({ 'deploy.yaml': yaml, 'admin/x.txt': 'x', 'admin/src/y.txt': 'y', 'docs/z.txt': 'z' });
    // At the top and in docs/ only shop's root (.) holds the folder.
    const [top, docs, admin] = await Promise.all([
      runCli(['push'], { cwd: repo.dir, env: repo.env }),
      runCli(['push', '--uname', 'docs'], { cwd: join(repo.dir, 'docs'), env: repo.env }),
      runCli(['push'], { cwd: join(repo.dir, 'admin/src'), env: repo.env }),
    ]);
    expect(top.code, top.stderr).toBe(0);
    expect(docs.code, docs.stderr).toBe(0);
    expect(readdirSync(join(repo.dir, '.ionflow/store/shop')).sort()).toEqual([`${repo.head()}.json`, `${repo.head()}.zip`, 'docs.json', 'docs.zip']);
    // In admin/src two apps have the nearest root, admin: ambiguous, and both are listed.
    expect(admin.code).toBe(2);
    expect(admin.stderr).toBe(
      'error: deploy.yaml has several apps and several apps have this folder as their root: admin (root admin), admin-copy (root admin)\nhint: choose one with --app <name>\n',
    );
    const chosen = await runCli(['push', '--app', 'admin-copy'], { cwd: join(repo.dir, 'admin'), env: repo.env });
    expect(chosen.code).toBe(0);
    expect(edn(chosen.stdout)['deploy-groups']).toEqual([]);
  });

  it('SIGINT while the zip is written exits 130 and leaves nothing in the store', async () => {
    repo = makeRepo({ 'deploy.yaml': DEPLOY_YAML });
    // Incompressible content: git deflates it slowly enough to be interrupted after the first progress line.
    for (let i = 0; i < 3; i++) writeFileSync(join(repo.dir, `blob-${i}.bin`), randomBytes(16 * 1024 * 1024));
    repo.git('-c', 'core.looseCompression=0', 'add', '-A');
    repo.git('commit', '-q', '-m', 'big');
    let sent = false;
    const result = await runCli(['push'], {
      cwd: repo.dir,
      env: repo.env,
      onSpawn: (child) =>
        child.stderr?.on('data', (d: Buffer) => {
          if (!sent && d.toString().includes('written ')) {
            sent = true;
            child.kill('SIGINT');
          }
        }),
    });
    expect(sent).toBe(true);
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(readdirSync(join(repo.dir, '.ionflow/store/shop'))).toEqual([]);
  });
});
